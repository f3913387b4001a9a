// Which address an in-tunnel probe of a peer is sent to. Pure.
//
// The probe must reach the peer itself, through its tunnel. towalink/wgtrack pinged the address
// part of AllowedIPs[0], i.e. 0.0.0.0 for 0.0.0.0/0 and 10.0.0.0 for 10.0.0.0/24: never the
// peer. So we pick only an address that names one host, in this order:
//   1. a configured `probe_target`;
//   2. a /32 or /128 allowed IP (as the device reports it);
//   3. the host address the wg-quick file writes in AllowedIPs: `172.25.1.1/24` says the peer
//      is 172.25.1.1 (wg(8) and the kernel keep only 172.25.1.0/24; the file keeps the rest);
//   4. a `DNS =` address of the wg-quick [Interface] that lies inside the peer's allowed IPs
//      (a client with AllowedIPs = 0.0.0.0/0 and the provider's resolver behind the tunnel).
// Where there is none, there is no probe, and the reason says what to set.
#pragma once

#include <optional>
#include <span>
#include <vector>

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
  kWrittenHostAddress,           // the host bits of a wg-quick AllowedIPs entry (172.25.1.1/24)
  kInterfaceDns,                 // a wg-quick DNS = address inside the peer's allowed IPs
  kDisabled,                     // probe_target = none
  kNoHostAllowedIp,              // auto, and none of the above
};

// What the wg-quick file says beyond what the device reports (empty when the interface has no
// wg-quick file).
struct ProbeTargetHints {
  std::vector<IpPrefix> written_allowed_ips;  // the peer's AllowedIPs as written, host bits kept
  std::vector<Endpoint> interface_dns;        // the interface's DNS = addresses (port 0)
};

struct ProbeTargetChoice {
  std::optional<Endpoint> target;  // nullopt: do not probe this peer (port always 0)
  ProbeTargetSource source = ProbeTargetSource::kNoHostAllowedIp;
};

// In the order of the file comment; within each step IPv4 before IPv6, then list order.
// Unspecified, multicast and broadcast addresses are skipped (they name no peer); a written
// host address or a DNS address counts only inside the device's allowed IPs of this peer.
ProbeTargetChoice select_probe_target(std::span<const IpPrefix> allowed_ips,
                                      const ProbeTargetSetting& setting,
                                      const ProbeTargetHints& hints = {});

// For logs and status: "configured probe_target", "no /32 or /128 allowed IP; set
// probe_target", ...
const char* to_string(ProbeTargetSource source);
// A stable snake_case code for JSON: "configured", "host_allowed_ip", "wg_quick_address",
// "interface_dns", "disabled", "none", "configured_outside_allowed_ips".
const char* to_code(ProbeTargetSource source);

// True if `prefix` covers `address` (same family, first cidr bits equal).
bool prefix_contains(const IpPrefix& prefix, const Endpoint& address);

}  // namespace wgtrack
