#include "monitor/peer_policy.h"

#include "endpoint/candidates.h"

namespace wgtrack {
namespace {

ProbeTargetSetting to_setting(const config::ProbeTarget& t) {
  switch (t.mode) {
    case config::ProbeMode::kNone:
      return ProbeTargetSetting::none();
    case config::ProbeMode::kAddress:
      return ProbeTargetSetting::at(t.address);
    case config::ProbeMode::kAuto:
      break;
  }
  return ProbeTargetSetting::automatic();
}

endpoint::Prefer to_prefer(config::AddressPreference p) {
  switch (p) {
    case config::AddressPreference::kIPv4:
      return endpoint::Prefer::kIPv4;
    case config::AddressPreference::kNone:
      return endpoint::Prefer::kNone;
    case config::AddressPreference::kIPv6:
      break;
  }
  return endpoint::Prefer::kIPv6;
}

std::optional<endpoint::PeerSetup> recovery_of(const config::Config& config,
                                               const config::PeerPolicy& policy,
                                               const std::string& interface,
                                               const PublicKey& peer) {
  const config::Thresholds& t = policy.thresholds;
  if (!policy.interface_enabled || !t.endpoint_recovery) return std::nullopt;
  std::optional<HostPort> wgquick;
  if (const config::WgQuickInterface* w = config.find_wgquick(interface)) {
    if (const config::WgQuickPeer* p = w->find_peer(peer)) wgquick = p->endpoint;
  }
  endpoint::PeerSetup setup;
  setup.hosts = endpoint::candidate_hosts(wgquick, policy.endpoints);
  if (setup.hosts.empty()) return std::nullopt;
  endpoint::EndpointPolicy& p = setup.policy;
  p.prefer = to_prefer(t.prefer);
  p.probe = t.probe == config::CandidateCheck::kHandshake ? endpoint::ProbeMethod::kHandshake
                                                          : endpoint::ProbeMethod::kIcmp;
  p.confirm_window = t.confirm;
  p.resolve.cycle_time = config.general.cycle_time;
  p.resolve.cycles_wait = t.cycles_wait;
  p.resolve.cycles_checking = t.cycles_checking;
  p.resolve.cycles_checkperiod = t.cycles_checkperiod;
  p.resolve.cycles_slowcheckingperiod = t.cycles_slowcheckingperiod;
  return setup;
}

ProbeTargetHints hints_of(const config::Config& config, const std::string& interface,
                          const PublicKey& peer) {
  ProbeTargetHints h;
  const config::WgQuickInterface* w = config.find_wgquick(interface);
  if (w == nullptr) return h;
  if (const config::WgQuickPeer* p = w->find_peer(peer)) {
    for (const IpPrefix& a : p->allowed_ips) {
      if (!a.is_host()) h.written_allowed_ips.push_back(a);  // a /32 is in the device's list
    }
  }
  h.interface_dns = w->dns;
  return h;
}

}  // namespace

ResolvedPeerPolicy resolve_peer_policy(const config::Config& config, const std::string& interface,
                                       const PublicKey& peer) {
  const config::PeerPolicy p = config.peer_policy(interface, peer);
  ResolvedPeerPolicy r;
  r.health.handshake_stale = p.thresholds.handshake_stale;
  r.health.handshake_down = p.thresholds.handshake_down;
  r.health.keepalive_expected = p.thresholds.keepalive_expected;
  // ping_interval = 0 disables probes, and with them the probe verdicts.
  r.health.probe_fail_after =
      p.thresholds.ping_interval == 0 ? 0 : static_cast<int>(p.thresholds.ping_failafternum);
  r.ping_interval = p.thresholds.ping_interval;
  r.probe_target = to_setting(p.probe_target);
  if (r.probe_target.mode == ProbeTargetSetting::Mode::kAuto) {
    r.probe_hints = hints_of(config, interface, peer);
  }
  r.name = p.name.value_or("");
  r.recovery = recovery_of(config, p, interface, peer);
  return r;
}

bool recovery_configured(const config::Config& config) {
  for (const auto& s : config.peers) {
    if (s.endpoints) return true;
  }
  for (const auto& w : config.wgquick) {
    for (const auto& p : w.peers) {
      if (p.endpoint) return true;
    }
  }
  return false;
}

}  // namespace wgtrack
