#include "http/basic_auth.h"

#include <crypt.h>
#include <sys/random.h>

#include <algorithm>
#include <boost/beast/core/detail/sha1.hpp>
#include <cstring>
#include <memory>

namespace wgtrack::http {
namespace {

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool iequals_prefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != prefix[i]) return false;
  }
  return true;
}

// crypt_rn() writes its answer into `data`; a failure is NULL or a string starting with '*'
// (libxcrypt's documented failure token), never a valid hash.
bool crypt_matches(std::string_view password, const std::string& hash) {
  std::string phrase(password);
  auto data = std::make_unique<crypt_data>();
  const char* out = crypt_rn(phrase.c_str(), hash.c_str(), data.get(), sizeof(crypt_data));
  bool ok = out != nullptr && out[0] != '*' && constant_time_equals(out, hash);
  // The phrase copy is a secret: do not leave it in freed heap memory.
  std::fill(phrase.begin(), phrase.end(), '\0');
  explicit_bzero(data.get(), sizeof(crypt_data));
  return ok;
}

}  // namespace

bool constant_time_equals(std::string_view a, std::string_view b) {
  std::size_t n = std::max(a.size(), b.size());
  unsigned diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < n; ++i) {
    unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= static_cast<unsigned>(x ^ y);
  }
  return diff == 0;
}

Result<std::string> BasicAuth::decode_base64(std::string_view in) {
  if (in.size() % 4 != 0) return Error(ErrorCode::kInvalidInput, "base64 length");
  std::string out;
  out.reserve(in.size() / 4 * 3);
  for (std::size_t i = 0; i < in.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int j = 0; j < 4; ++j) {
      char c = in[i + j];
      if (c == '=' && i + 4 == in.size() && j >= 2) {
        v[j] = 0;
        ++pad;
        continue;
      }
      if (pad > 0) return Error(ErrorCode::kInvalidInput, "base64 padding");
      v[j] = base64_value(c);
      if (v[j] < 0) return Error(ErrorCode::kInvalidInput, "base64 character");
    }
    // Canonical only (RFC 4648 section 3.5): the bits dropped by padding must be zero, so one
    // credential has exactly one encoding.
    if ((pad == 2 && (v[1] & 0x0f) != 0) || (pad == 1 && (v[2] & 0x03) != 0)) {
      return Error(ErrorCode::kInvalidInput, "base64 non-canonical");
    }
    unsigned bits = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    out.push_back(static_cast<char>(bits >> 16));
    if (pad < 2) out.push_back(static_cast<char>((bits >> 8) & 0xff));
    if (pad < 1) out.push_back(static_cast<char>(bits & 0xff));
  }
  return out;
}

BasicAuth::BasicAuth(BasicAuthOptions options) : options_(std::move(options)) {
  // The cache key only has to be unpredictable to someone who reads process memory later; a
  // short read from getrandom(2) is not expected for 32 bytes (it never blocks after boot).
  if (getrandom(key_.data(), key_.size(), 0) != static_cast<ssize_t>(key_.size())) {
    auto seed = reinterpret_cast<std::uintptr_t>(this);
    std::memcpy(key_.data(), &seed, sizeof seed);
  }
  cache_.resize(std::max<std::size_t>(options_.cache_entries, 1));
}

Result<BasicAuth> BasicAuth::create(BasicAuthOptions options) {
  if (options.user.empty() || options.user.find(':') != std::string::npos) {
    return Error(ErrorCode::kInvalidInput, "basic auth user must be non-empty and without ':'");
  }
  // Only modular crypt formats ("$id$..."): libxcrypt also accepts traditional DES hashes, so a
  // plain password written by mistake ("s3cret") would otherwise pass as a hash (salt "s3").
  if (options.password_hash.size() < 4 || options.password_hash.front() != '$') {
    return Error(ErrorCode::kInvalidInput,
                 "basic auth password hash must be a crypt(3) hash like $y$..., $2b$..., $6$...");
  }
  auto data = std::make_unique<crypt_data>();
  const char* out =
      crypt_rn("wgtrack-check", options.password_hash.c_str(), data.get(), sizeof(crypt_data));
  if (out == nullptr || out[0] == '*' || options.password_hash.empty()) {
    return Error(ErrorCode::kInvalidInput,
                 "basic auth password hash is not a crypt(3) hash this system supports "
                 "(expected e.g. $y$..., $2b$..., $6$...)");
  }
  return BasicAuth(std::move(options));
}

bool BasicAuth::exempt(std::string_view path) const {
  return std::any_of(options_.exempt_paths.begin(), options_.exempt_paths.end(),
                     [&](const std::string& p) { return p == path; });
}

BasicAuth::Digest BasicAuth::digest(std::string_view credentials) const {
  namespace sha = boost::beast::detail;
  sha::sha1_context ctx;
  sha::init(ctx);
  sha::update(ctx, key_.data(), key_.size());
  sha::update(ctx, credentials.data(), credentials.size());
  Digest d;
  sha::finish(ctx, d.data());
  return d;
}

bool BasicAuth::verify(std::string_view user, std::string_view password) const {
  // Run crypt even for a wrong user so the answer time does not tell which part was wrong.
  bool user_ok = constant_time_equals(user, options_.user);
  bool password_ok = crypt_matches(password, options_.password_hash);
  return user_ok && password_ok;
}

// Token bucket kept as time credit in integer nanoseconds (one token = 1 s / rate), so refills
// are exact: no floating-point "0.9999 tokens".
bool BasicAuth::take_token(MonoTime now) {
  const unsigned rate = options_.max_verifications_per_second;
  if (rate == 0) return true;
  const std::chrono::nanoseconds cost = std::chrono::nanoseconds(std::chrono::seconds(1)) / rate;
  const std::chrono::nanoseconds burst = cost * (2 * static_cast<std::int64_t>(rate));
  if (!bucket_started_) {
    bucket_started_ = true;
    credit_ = burst;
  } else if (now > refilled_) {
    credit_ = std::min(burst, credit_ + (now - refilled_));
  }
  refilled_ = std::max(refilled_, now);
  if (credit_ < cost) return false;
  credit_ -= cost;
  return true;
}

BasicAuth::Verdict BasicAuth::check(std::string_view authorization, MonoTime now) {
  if (authorization.empty()) return Verdict::kMissing;
  // RFC 7617 section 2: scheme is case-insensitive; one space before the token (we accept more).
  if (!iequals_prefix(authorization, "basic ")) return Verdict::kMalformed;
  std::string_view token = authorization.substr(6);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  auto decoded = decode_base64(token);
  if (!decoded) return Verdict::kMalformed;
  std::string& credentials = *decoded;
  std::size_t colon = credentials.find(':');
  // crypt() takes a C string: "pw\0junk" would verify as "pw" (found by http_request_fuzz).
  if (colon == std::string::npos || credentials.find('\0') != std::string::npos) {
    return Verdict::kMalformed;
  }

  Digest d = digest(credentials);
  std::string_view dv(reinterpret_cast<const char*>(d.data()), d.size());
  bool hit = false;
  for (auto& e : cache_) {  // no early exit: the scan costs the same whichever entry matches
    std::string_view ev(reinterpret_cast<const char*>(e.digest.data()), e.digest.size());
    bool same = constant_time_equals(ev, dv);
    hit = hit || (same && e.used && e.expires > now);
  }
  if (hit) {
    ++stats_.cache_hits;
    std::fill(credentials.begin(), credentials.end(), '\0');
    return Verdict::kOk;
  }
  if (!take_token(now)) {
    ++stats_.throttled;
    std::fill(credentials.begin(), credentials.end(), '\0');
    return Verdict::kThrottled;
  }
  ++stats_.verifications;
  std::string_view cv = credentials;
  bool ok = verify(cv.substr(0, colon), cv.substr(colon + 1));
  std::fill(credentials.begin(), credentials.end(), '\0');
  if (!ok) return Verdict::kWrong;
  // Replace an unused/expired entry, else the one expiring first (the oldest).
  auto victim = std::min_element(cache_.begin(), cache_.end(), [&](const auto& a, const auto& b) {
    auto rank = [&](const CacheEntry& e) {
      return e.used && e.expires > now ? e.expires : MonoTime{};
    };
    return rank(a) < rank(b);
  });
  victim->digest = d;
  victim->expires = now + options_.cache_ttl;
  victim->used = true;
  return Verdict::kOk;
}

}  // namespace wgtrack::http
