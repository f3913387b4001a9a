// Which address an in-tunnel probe of a peer is sent to. Pure.
//
// The probe must reach the peer itself, through its tunnel. towalink/wgtrack pinged the address
// part of AllowedIPs[0], i.e. 0.0.0.0 for 0.0.0.0/0 and 10.0.0.0 for 10.0.0.0/24: never the
// peer. So we pick only an address that names exactly one host: a /32 or
// /128 allowed IP. Where there is none, there is no probe, and the reason says what to set.
#pragma once

#include <optional>
#include <span>

#include "core/endpoint.h"

namespace wgtrack {

// What the operator set for the peer (wgtrack.conf `probe_target = auto | none | <IP>`).
struct ProbeTargetSetting {
  enum class Mode : std::uint8_t { kAuto, kNone, kAddress };
  Mode mode = Mode::kAuto;
  Endpoint address;  // kAddress only; the port is ignored

  static ProbeTargetSetting automatic() { return {}; }
  static ProbeTargetSetting none() { return {Mode::kNone, {}}; }
  static ProbeTargetSetting at(const Endpoint& a) { return {Mode::kAddress, a}; }
};

// How the target was chosen, or why there is none.
enum class ProbeTargetSource : std::uint8_t {
  kConfigured,                   // probe_target = <IP>, inside the peer's allowed IPs
  kConfiguredOutsideAllowedIps,  // probe_target = <IP>, but no allowed IP of this peer covers
                                 // it: WireGuard sends it elsewhere or nowhere (warn; still used)
  kHostAllowedIp,                // the first unicast /32, else the first unicast /128
  kDisabled,                     // probe_target = none
  kNoHostAllowedIp,              // auto, and no /32 or /128 allowed IP
};

struct ProbeTargetChoice {
  std::optional<Endpoint> target;  // nullopt: do not probe this peer (port always 0)
  ProbeTargetSource source = ProbeTargetSource::kNoHostAllowedIp;
};

// A configured address wins. Otherwise the host address of the first /32 allowed IP, else of the
// first /128; unspecified and multicast addresses are skipped (they name no peer).
ProbeTargetChoice select_probe_target(std::span<const IpPrefix> allowed_ips,
                                      const ProbeTargetSetting& setting);

// For logs and status: "configured", "no /32 or /128 allowed IP; set probe_target", ...
const char* to_string(ProbeTargetSource source);

// True if `prefix` covers `address` (same family, first cidr bits equal).
bool prefix_contains(const IpPrefix& prefix, const Endpoint& address);

}  // namespace wgtrack
