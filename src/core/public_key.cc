#include "core/public_key.h"

#include <cstring>

namespace wgtrack {
namespace {

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kHex[] = "0123456789abcdef";

int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Hex digit values, 0xff for anything else: a table because codecs decode two keys per peer
// and a branchy decoder costs more than the rest of the peer together.
constexpr std::array<std::uint8_t, 256> make_hex_table() {
  std::array<std::uint8_t, 256> t{};
  for (auto& v : t) v = 0xff;
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<std::uint8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) t[c] = static_cast<std::uint8_t>(c - 'a' + 10);
  for (int c = 'A'; c <= 'F'; ++c) t[c] = static_cast<std::uint8_t>(c - 'A' + 10);
  return t;
}
constexpr auto kHexTable = make_hex_table();

}  // namespace

Result<PublicKey> PublicKey::from_base64(std::string_view text) {
  // 32 bytes = 10 full quads (30 bytes) + one quad carrying 2 bytes and one '=' of padding.
  if (text.size() != 44 || text[43] != '=') {
    return Error(ErrorCode::kInvalidInput,
                 "a key is 44 base64 characters ending in '=', got " + std::to_string(text.size()) +
                     " characters");
  }
  Bytes b{};
  std::size_t o = 0;
  for (std::size_t i = 0; i < 43; i += 4) {
    int v[4] = {0, 0, 0, 0};
    const std::size_t n = (i == 40) ? 3 : 4;
    for (std::size_t j = 0; j < n; ++j) {
      v[j] = b64_value(text[i + j]);
      if (v[j] < 0) return Error(ErrorCode::kInvalidInput, "invalid base64 character in key");
    }
    const std::uint32_t q = static_cast<std::uint32_t>(v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]);
    b[o++] = static_cast<std::uint8_t>(q >> 16);
    b[o++] = static_cast<std::uint8_t>(q >> 8);
    if (n == 4) b[o++] = static_cast<std::uint8_t>(q);
    else if ((v[2] & 0x3) != 0)
      return Error(ErrorCode::kInvalidInput, "non-canonical base64 key (trailing bits set)");
  }
  return PublicKey(b);
}

bool PublicKey::parse_hex(std::string_view text, Bytes& out) {
  if (text.size() != 2 * kSize) return false;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  std::uint8_t bad = 0;
  for (std::size_t i = 0; i < kSize; ++i) {
    const std::uint8_t hi = kHexTable[p[2 * i]];
    const std::uint8_t lo = kHexTable[p[2 * i + 1]];
    bad |= hi | lo;
    out[i] = static_cast<std::uint8_t>(hi << 4 | (lo & 0xf));
  }
  return (bad & 0xf0) == 0;
}

Result<PublicKey> PublicKey::from_hex(std::string_view text) {
  Bytes b{};
  if (!parse_hex(text, b)) {
    return Error(ErrorCode::kInvalidInput, "a hex key is 64 hex digits");
  }
  return PublicKey(b);
}

void PublicKey::append_base64(std::string& out) const {
  const std::size_t start = out.size();
  out.resize(start + 44);
  char* p = out.data() + start;
  std::size_t i = 0;
  for (; i + 3 <= kSize; i += 3) {
    const std::uint32_t v = bytes_[i] << 16 | bytes_[i + 1] << 8 | bytes_[i + 2];
    *p++ = kB64[v >> 18];
    *p++ = kB64[(v >> 12) & 63];
    *p++ = kB64[(v >> 6) & 63];
    *p++ = kB64[v & 63];
  }
  const std::uint32_t v = bytes_[30] << 16 | bytes_[31] << 8;
  *p++ = kB64[v >> 18];
  *p++ = kB64[(v >> 12) & 63];
  *p++ = kB64[(v >> 6) & 63];
  *p = '=';
}

std::string PublicKey::to_base64() const {
  std::string s;
  append_base64(s);
  return s;
}

std::string PublicKey::to_hex() const {
  std::string s(2 * kSize, '0');
  for (std::size_t i = 0; i < kSize; ++i) {
    s[2 * i] = kHex[bytes_[i] >> 4];
    s[2 * i + 1] = kHex[bytes_[i] & 15];
  }
  return s;
}

bool PublicKey::is_zero() const {
  std::uint8_t acc = 0;
  for (auto b : bytes_) acc |= b;
  return acc == 0;
}


std::size_t PublicKeyHash::operator()(const PublicKey& k) const noexcept {
  // Keys are uniformly random: the first 8 bytes are already a good hash.
  std::size_t h;
  std::memcpy(&h, k.bytes().data(), sizeof h);
  return h;
}

}  // namespace wgtrack
