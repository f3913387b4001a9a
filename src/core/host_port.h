// HostPort: an unresolved "host:port" as written in a wg-quick Endpoint or wgtrack.conf.
// The host is a DNS name or an IP literal; nothing here resolves it (docs/architecture.md rule 4).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/endpoint.h"
#include "core/result.h"

namespace wgtrack {

class HostPort {
 public:
  // "vpn.example.net:51820", "192.0.2.7:51820", "[2001:db8::7]:51820", "[fe80::1%eth0]:51820".
  static Result<HostPort> parse(std::string_view text);

  const std::string& host() const { return host_; }  // without brackets
  std::uint16_t port() const { return port_; }
  // The endpoint itself when the host is an IP literal; nullopt for a DNS name.
  std::optional<Endpoint> literal() const;
  std::string to_string() const;

  friend bool operator==(const HostPort&, const HostPort&) = default;

 private:
  std::string host_;
  std::uint16_t port_ = 0;
};

// RFC 1123 host name: labels of letters, digits, '-' (and '_', seen in the wild in SRV-style
// names), 1..63 chars each, total <= 253, optional trailing dot.
bool is_valid_hostname(std::string_view name);

}  // namespace wgtrack
