// BasicAuth: HTTP basic authentication (RFC 7617) for one user with a crypt(3) password hash,
// verified by libxcrypt. Pure apart from crypt_rn() (CPU only, no I/O); time is a parameter.
//
// crypt hashes are slow on purpose (yescrypt: milliseconds and megabytes), so a successful
// verification is cached: the cache holds SHA-1(per-process random key || credentials), never
// the password, for BasicAuthOptions::cache_ttl, at most cache_entries of them (the oldest is
// replaced). Every comparison of secrets is constant-time. Failures are not cached; cache misses
// are rate-limited (BasicAuthOptions::max_verifications_per_second).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "http/http_options.h"

namespace wgtrack::http {

class BasicAuth {
 public:
  enum class Verdict {
    kOk,
    kMissing,    // no Authorization header
    kMalformed,  // not "Basic <base64 of user:password>"
    kWrong,      // unknown user or wrong password
    kThrottled,  // not a cache hit, and the verification budget is spent: try again later
  };
  struct Stats {
    std::uint64_t verifications = 0;  // crypt_rn() calls (cache misses)
    std::uint64_t cache_hits = 0;
    std::uint64_t throttled = 0;
  };

  // kInvalidInput when the user is empty or contains ':', the hash is not in modular crypt
  // format ("$id$...": traditional DES hashes are refused, a plain password would pass as one),
  // or crypt_rn() rejects it (unknown method, bad salt: tried once here, costing one crypt).
  static Result<BasicAuth> create(BasicAuthOptions options);

  // `authorization` is the Authorization header value ("" if absent).
  Verdict check(std::string_view authorization, MonoTime now);
  // Whether this decoded path is served without credentials.
  bool exempt(std::string_view path) const;

  const Stats& stats() const { return stats_; }

  // Strict canonical base64 (RFC 4648 section 4, padding required, zero pad bits);
  // kInvalidInput otherwise.
  static Result<std::string> decode_base64(std::string_view in);

 private:
  using Digest = std::array<std::uint8_t, 20>;
  struct CacheEntry {
    Digest digest{};
    MonoTime expires{};
    bool used = false;
  };

  explicit BasicAuth(BasicAuthOptions options);
  Digest digest(std::string_view credentials) const;
  bool verify(std::string_view user, std::string_view password) const;

  BasicAuthOptions options_;
  std::array<std::uint8_t, 32> key_{};
  bool take_token(MonoTime now);

  std::vector<CacheEntry> cache_;
  std::chrono::nanoseconds credit_{0};  // token bucket, see take_token()
  MonoTime refilled_{};
  bool bucket_started_ = false;
  Stats stats_;
};

// Constant-time equality of two byte strings (time depends on the lengths only).
bool constant_time_equals(std::string_view a, std::string_view b);

}  // namespace wgtrack::http
