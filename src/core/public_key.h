// PublicKey: a WireGuard (Curve25519) public key, 32 bytes.
// Text forms: base64 (44 chars, as wg(8) prints it) and hex (64 chars, as the UAPI speaks it).
// Parsing is strict: wrong length, bad alphabet, missing padding or non-canonical trailing bits
// are rejected, so two different strings never name the same key.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace wgtrack {

class PublicKey {
 public:
  static constexpr std::size_t kSize = 32;
  using Bytes = std::array<std::uint8_t, kSize>;

  PublicKey() = default;  // all zero
  explicit PublicKey(const Bytes& bytes) : bytes_(bytes) {}

  static Result<PublicKey> from_base64(std::string_view text);
  static Result<PublicKey> from_hex(std::string_view text);
  // Fast path for trusted-shape input (codecs): false on any malformed input.
  static bool parse_hex(std::string_view text, Bytes& out);

  std::string to_base64() const;
  std::string to_hex() const;
  // Appends the base64 form (44 chars) to `out` without a temporary string.
  void append_base64(std::string& out) const;

  const Bytes& bytes() const { return bytes_; }
  bool is_zero() const;

  friend bool operator==(const PublicKey&, const PublicKey&) = default;
  friend auto operator<=>(const PublicKey&, const PublicKey&) = default;

 private:
  Bytes bytes_{};
};

struct PublicKeyHash {
  std::size_t operator()(const PublicKey& k) const noexcept;
};

}  // namespace wgtrack
