#include "probe/probe_target.h"

#include <algorithm>

namespace wgtrack {
namespace {

bool is_probeable_host(const IpPrefix& p) {
  if (!p.is_host()) return false;
  const auto& a = p.address();
  if (p.family() == IpFamily::kIPv4) {
    const bool unspecified = a[0] == 0 && a[1] == 0 && a[2] == 0 && a[3] == 0;
    const bool multicast_or_broadcast = a[0] >= 224;  // 224/4 multicast, 240/4 and broadcast
    return !unspecified && !multicast_or_broadcast;
  }
  const bool unspecified = std::all_of(a.begin(), a.end(), [](std::uint8_t b) { return b == 0; });
  return !unspecified && a[0] != 0xff;  // ff00::/8 multicast (RFC 4291 §2.7)
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
                                      const ProbeTargetSetting& setting) {
  switch (setting.mode) {
    case ProbeTargetSetting::Mode::kNone:
      return {std::nullopt, ProbeTargetSource::kDisabled};
    case ProbeTargetSetting::Mode::kAddress: {
      Endpoint target = setting.address;
      target.set_port(0);
      const bool covered =
          std::any_of(allowed_ips.begin(), allowed_ips.end(),
                      [&](const IpPrefix& p) { return prefix_contains(p, target); });
      return {target, covered ? ProbeTargetSource::kConfigured
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
    case ProbeTargetSource::kDisabled:
      return "probe_target = none";
    case ProbeTargetSource::kNoHostAllowedIp:
      return "no /32 or /128 allowed IP; set probe_target";
  }
  return "?";
}

}  // namespace wgtrack
