#include "daemon/config_check.h"

#include <array>

#include "daemon/history_settings.h"
#include "daemon/http_settings.h"
#include "daemon/outputs.h"
#include "events/sink_text.h"
#include "monitor/peer_policy.h"

namespace wgtrack {

ConfigCheck validate_config(const config::ConfigResult& loaded) {
  ConfigCheck c;
  c.diagnostics = loaded.diagnostics;
  const std::size_t own_errors = config::count_errors(loaded.diagnostics);
  validate_outputs(loaded.config, c.diagnostics);
  (void)parse_http_settings(loaded.config, c.diagnostics);
  (void)parse_history_settings(loaded.config, c.diagnostics);
  c.errors = config::count_errors(c.diagnostics);
  c.warnings = config::count_warnings(c.diagnostics);
  // The loader's errors in skippable [peer:] sections do not count as fatal; every error the
  // daemon layer finds does (an output, the HTTP listener or the history cannot be half set up).
  c.usable = loaded.ok() && c.errors == own_errors;
  return c;
}

std::string describe_probe_targets(const config::Config& config, std::size_t max_listed) {
  constexpr std::array kSources = {ProbeTargetSource::kHostAllowedIp,
                                   ProbeTargetSource::kWrittenHostAddress,
                                   ProbeTargetSource::kInterfaceDns,
                                   ProbeTargetSource::kConfigured,
                                   ProbeTargetSource::kConfiguredOutsideAllowedIps,
                                   ProbeTargetSource::kDisabled,
                                   ProbeTargetSource::kNoHostAllowedIp};
  std::string out;
  for (const config::WgQuickInterface& w : config.wgquick) {
    if (w.peers.empty()) continue;
    std::array<std::size_t, kSources.size()> counts{};
    std::string lines;
    std::size_t listed = 0;
    for (const config::WgQuickPeer& p : w.peers) {
      const ResolvedPeerPolicy policy = resolve_peer_policy(config, w.name, p.public_key);
      std::vector<IpPrefix> device;
      device.reserve(p.allowed_ips.size());
      for (const IpPrefix& a : p.allowed_ips) device.push_back(a.network());
      const ProbeTargetChoice c =
          select_probe_target(device, policy.probe_target, policy.probe_hints);
      for (std::size_t i = 0; i < kSources.size(); ++i) {
        if (kSources[i] == c.source) ++counts[i];
      }
      if (c.source == ProbeTargetSource::kHostAllowedIp) continue;
      if (listed++ >= max_listed) continue;
      lines += "  " + sanitize_text(w.name, 64) + " " +
               (policy.name.empty() ? short_key(p.public_key) : sanitize_text(policy.name, 64)) +
               ": " +
               (c.target ? c.target->address_string() + " (" + to_string(c.source) + ")"
                         : std::string("no probe target (") + to_string(c.source) + ")") +
               "\n";
    }
    if (listed > max_listed) {
      lines += "  ... and " + std::to_string(listed - max_listed) + " more\n";
    }
    out += sanitize_text(w.name, 64) + ": probe targets of " + std::to_string(w.peers.size()) +
           (w.peers.size() == 1 ? " peer:" : " peers:");
    bool first = true;
    for (std::size_t i = 0; i < kSources.size(); ++i) {
      if (counts[i] == 0) continue;
      out +=
          std::string(first ? " " : ", ") + std::to_string(counts[i]) + " " + to_code(kSources[i]);
      first = false;
    }
    out += "\n" + lines;
  }
  return out;
}

}  // namespace wgtrack
