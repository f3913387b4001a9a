#include "probe/probe_target.h"

#include <algorithm>

namespace wgtrack {
namespace {

bool is_probeable_address(IpFamily family, const std::array<std::uint8_t, 16>& a) {
  if (family == IpFamily::kIPv4) {
    const bool unspecified = a[0] == 0 && a[1] == 0 && a[2] == 0 && a[3] == 0;
    const bool multicast_or_broadcast = a[0] >= 224;  // 224/4 multicast, 240/4 and broadcast
    return !unspecified && !multicast_or_broadcast;
  }
  const bool unspecified = std::all_of(a.begin(), a.end(), [](std::uint8_t b) { return b == 0; });
  return !unspecified && a[0] != 0xff;  // ff00::/8 multicast (RFC 4291 §2.7)
}

bool is_probeable_host(const IpPrefix& p) {
  return p.is_host() && is_probeable_address(p.family(), p.address());
}

// The prefix as written has host bits set, and they are neither all zero (the network) nor, for
// IPv4, all one (the subnet broadcast).
bool has_host_bits(const IpPrefix& p) {
  const unsigned width = p.family() == IpFamily::kIPv4 ? 32 : 128;
  if (p.cidr() >= width) return false;
  const auto& a = p.address();
  bool any_zero = false;
  bool any_one = false;
  for (unsigned bit = p.cidr(); bit < width; ++bit) {
    const bool set = (a[bit / 8] >> (7 - bit % 8)) & 1;
    (set ? any_one : any_zero) = true;
  }
  if (!any_one) return false;
  return p.family() == IpFamily::kIPv6 || any_zero;
}

bool covered(std::span<const IpPrefix> allowed_ips, const Endpoint& address) {
  return std::any_of(allowed_ips.begin(), allowed_ips.end(),
                     [&](const IpPrefix& p) { return prefix_contains(p, address); });
}

Endpoint host_address(const IpPrefix& p) {
  const auto& a = p.address();
  if (p.family() == IpFamily::kIPv4) return Endpoint::ipv4({a[0], a[1], a[2], a[3]}, 0);
  return Endpoint::ipv6(a, 0);
}

}  // namespace

bool prefix_contains(const IpPrefix& prefix, const Endpoint& address) {
  if (prefix.family() != address.family()) return false;
  const auto& p = prefix.address();
  const auto& a = address.address();
  const unsigned bits = prefix.cidr();
  const unsigned full = bits / 8;
  if (!std::equal(p.begin(), p.begin() + full, a.begin())) return false;
  if (bits % 8 == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xff << (8 - bits % 8));
  return (p[full] & mask) == (a[full] & mask);
}

ProbeTargetChoice select_probe_target(std::span<const IpPrefix> allowed_ips,
                                      const ProbeTargetSetting& setting,
                                      const ProbeTargetHints& hints) {
  switch (setting.mode) {
    case ProbeTargetSetting::Mode::kNone:
      return {std::nullopt, ProbeTargetSource::kDisabled};
    case ProbeTargetSetting::Mode::kAddress: {
      Endpoint target = setting.address;
      target.set_port(0);
      return {target, covered(allowed_ips, target)
                          ? ProbeTargetSource::kConfigured
                          : ProbeTargetSource::kConfiguredOutsideAllowedIps};
    }
    case ProbeTargetSetting::Mode::kAuto:
      break;
  }
  // IPv4 first whatever the order: a /32 is the usual tunnel address of a peer,
  // and the order in which a backend lists allowed IPs is not a preference the operator gave.
  for (IpFamily family : {IpFamily::kIPv4, IpFamily::kIPv6}) {
    for (const IpPrefix& p : allowed_ips) {
      if (p.family() == family && is_probeable_host(p)) {
        return {host_address(p), ProbeTargetSource::kHostAllowedIp};
      }
    }
  }
  for (IpFamily family : {IpFamily::kIPv4, IpFamily::kIPv6}) {
    for (const IpPrefix& p : hints.written_allowed_ips) {
      if (p.family() != family || !has_host_bits(p)) continue;
      const Endpoint a = host_address(p);
      if (is_probeable_address(family, p.address()) && covered(allowed_ips, a)) {
        return {a, ProbeTargetSource::kWrittenHostAddress};
      }
    }
  }
  for (IpFamily family : {IpFamily::kIPv4, IpFamily::kIPv6}) {
    for (const Endpoint& d : hints.interface_dns) {
      if (d.family() != family || !is_probeable_address(family, d.address())) continue;
      if (!covered(allowed_ips, d)) continue;
      Endpoint a = d;
      a.set_port(0);
      return {a, ProbeTargetSource::kInterfaceDns};
    }
  }
  return {std::nullopt, ProbeTargetSource::kNoHostAllowedIp};
}

const char* to_string(ProbeTargetSource source) {
  switch (source) {
    case ProbeTargetSource::kConfigured:
      return "configured probe_target";
    case ProbeTargetSource::kConfiguredOutsideAllowedIps:
      return "configured probe_target is outside the peer's allowed IPs; replies cannot come "
             "through this peer";
    case ProbeTargetSource::kHostAllowedIp:
      return "host address of a /32 or /128 allowed IP";
    case ProbeTargetSource::kWrittenHostAddress:
      return "host address written in the wg-quick AllowedIPs";
    case ProbeTargetSource::kInterfaceDns:
      return "DNS address of the wg-quick interface, inside the peer's allowed IPs";
    case ProbeTargetSource::kDisabled:
      return "probe_target = none";
    case ProbeTargetSource::kNoHostAllowedIp:
      return "no /32 or /128 allowed IP, no host address in the wg-quick AllowedIPs, no DNS "
             "address inside them; set probe_target";
  }
  return "?";
}

const char* to_code(ProbeTargetSource source) {
  switch (source) {
    case ProbeTargetSource::kConfigured:
      return "configured";
    case ProbeTargetSource::kConfiguredOutsideAllowedIps:
      return "configured_outside_allowed_ips";
    case ProbeTargetSource::kHostAllowedIp:
      return "host_allowed_ip";
    case ProbeTargetSource::kWrittenHostAddress:
      return "wg_quick_address";
    case ProbeTargetSource::kInterfaceDns:
      return "interface_dns";
    case ProbeTargetSource::kDisabled:
      return "disabled";
    case ProbeTargetSource::kNoHostAllowedIp:
      return "none";
  }
  return "none";
}

}  // namespace wgtrack
