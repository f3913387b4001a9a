#include "core/utf8.h"

#include <cstring>

namespace wgtrack {

std::size_t decode_utf8(std::string_view s, std::size_t i, std::uint32_t& cp) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t n;
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
    cp = c & 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    cp = c & 0x0f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto d = static_cast<unsigned char>(s[i + k]);
    if ((d & 0xc0) != 0x80) return 0;
    cp = cp << 6 | (d & 0x3f);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
      (cp >= 0xd800 && cp <= 0xdfff))
    return 0;
  return n;
}

std::size_t valid_utf8_prefix(std::string_view s) {
  const std::size_t size = s.size();
  std::size_t i = 0;
  while (i < size) {
    while (i + 8 <= size) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, sizeof w);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    while (i < size && static_cast<unsigned char>(s[i]) < 0x80) ++i;
    if (i == size) break;
    std::uint32_t cp = 0;
    const std::size_t n = decode_utf8(s, i, cp);
    if (n == 0) return i;
    i += n;
  }
  return size;
}

void append_valid_utf8(std::string& out, std::string_view s) {
  for (;;) {
    const std::size_t ok = valid_utf8_prefix(s);
    out.append(s.data(), ok);
    if (ok == s.size()) return;
    out += kReplacementCharacter;
    s.remove_prefix(ok + 1);
  }
}

}  // namespace wgtrack
