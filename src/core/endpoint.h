// Endpoint: a resolved UDP address (IPv4, or IPv6 with optional scope) and port, as WireGuard
// holds it. Text forms: "192.0.2.1:51820", "[2001:db8::1]:51820", "[fe80::1%eth0]:51820",
// "[fe80::1%3]:51820". An unresolved "host:port" is a HostPort, never an Endpoint.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

struct sockaddr;
struct sockaddr_storage;

namespace wgtrack {

enum class IpFamily : std::uint8_t { kIPv4 = 4, kIPv6 = 6 };

class Endpoint {
 public:
  static constexpr std::size_t kZoneMax = 15;  // IFNAMSIZ - 1

  Endpoint() = default;
  static Endpoint ipv4(const std::array<std::uint8_t, 4>& addr, std::uint16_t port);
  static Endpoint ipv6(const std::array<std::uint8_t, 16>& addr, std::uint16_t port,
                       std::uint32_t scope_id = 0);

  // Parses the text forms above. Port 0 is rejected unless allowed: WireGuard cannot send to
  // it, but a listening socket takes it for "any free port" (tests, several daemons).
  enum class PortZero { kRejected, kAllowed };
  static Result<Endpoint> parse(std::string_view text, PortZero zero = PortZero::kRejected);
  // Parses a bare address (no port, no brackets), e.g. "2001:db8::1" or "fe80::1%eth0".
  static Result<Endpoint> parse_address(std::string_view text, std::uint16_t port);
  // From a kernel sockaddr_in / sockaddr_in6 (WGPEER_A_ENDPOINT). Wrong size/family is an error.
  static Result<Endpoint> from_sockaddr(const void* data, std::size_t len);

  // Fills a sockaddr_in/in6 (scope as the numeric id); returns its length.
  std::size_t to_sockaddr(sockaddr_storage& out) const;

  std::string to_string() const;       // with port, brackets for IPv6
  std::string address_string() const;  // address only, with %zone, no brackets
  void append_to(std::string& out) const;

  IpFamily family() const { return family_; }
  std::uint16_t port() const { return port_; }
  const std::array<std::uint8_t, 16>& address() const { return addr_; }  // v4 in first 4 bytes
  std::uint32_t scope_id() const { return scope_id_; }
  std::string_view zone() const;  // interface name zone, "" if none or numeric
  void set_port(std::uint16_t port) { port_ = port; }
  Endpoint with_scope_id(std::uint32_t id) const;  // numeric scope, drops any zone name
  // Adds the interface name of the scope (kept with the numeric id); printed in its place.
  // A name longer than kZoneMax, or one parse() would not accept (controls, spaces, bytes
  // >= 0x80), is ignored: the text of an endpoint is always printable ASCII.
  Endpoint with_zone(std::string_view name) const;

  friend bool operator==(const Endpoint&, const Endpoint&) = default;

 private:
  std::array<std::uint8_t, 16> addr_{};
  std::array<char, kZoneMax + 1> zone_{};
  std::uint32_t scope_id_ = 0;
  std::uint16_t port_ = 0;
  IpFamily family_ = IpFamily::kIPv4;
};

// An allowed IP: address + prefix length. The address is kept as configured (wg(8) and the
// kernel mask host bits when routing; we show what the backend reports).
class IpPrefix {
 public:
  IpPrefix() = default;
  static Result<IpPrefix> parse(std::string_view text);  // "10.0.0.2/32", "2001:db8::/64"
  static Result<IpPrefix> make(IpFamily family, const std::uint8_t* addr, std::uint8_t cidr);

  std::string to_string() const;
  void append_to(std::string& out) const;

  IpFamily family() const { return family_; }
  std::uint8_t cidr() const { return cidr_; }
  const std::array<std::uint8_t, 16>& address() const { return addr_; }
  // True for a /32 (IPv4) or /128 (IPv6): the prefix names exactly one host.
  bool is_host() const { return cidr_ == (family_ == IpFamily::kIPv4 ? 32 : 128); }
  // The prefix with its host bits cleared, as wg(8) and the kernel store an allowed IP
  // (172.25.1.1/24 -> 172.25.1.0/24).
  IpPrefix network() const;

  friend bool operator==(const IpPrefix&, const IpPrefix&) = default;

 private:
  std::array<std::uint8_t, 16> addr_{};
  std::uint8_t cidr_ = 0;
  IpFamily family_ = IpFamily::kIPv4;
};

// Appends the text form of an address exactly as inet_ntop(3) writes it (RFC 5952 for IPv6,
// with glibc's embedded-IPv4 forms), without its sprintf cost: formatters print one or more
// addresses per peer, and inet_ntop dominated `show --json` at 10,000 peers.
void append_ip(std::string& out, IpFamily family, const std::uint8_t* addr);

// Parses a decimal UDP port 1..65535 (no sign, no spaces, no leading '+').
bool parse_port(std::string_view text, std::uint16_t& out);

}  // namespace wgtrack
