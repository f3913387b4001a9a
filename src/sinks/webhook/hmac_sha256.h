// HMAC-SHA256 (RFC 2104 with SHA-256, OpenSSL) for the webhook signature header:
//   X-Wgtrack-Signature: sha256=<lowercase hex HMAC-SHA256(secret, body)>
// (the GitHub X-Hub-Signature-256 convention, so receivers can reuse their verification code).
#pragma once

#include <string>
#include <string_view>

namespace wgtrack {

inline constexpr std::string_view kSignatureHeader = "X-Wgtrack-Signature";

// 64 lowercase hex digits.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
// "sha256=" + hmac_sha256_hex(secret, body)
std::string webhook_signature(std::string_view secret, std::string_view body);

}  // namespace wgtrack
