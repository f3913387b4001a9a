// ResolvedPeerPolicy: everything the configuration says about one peer — health thresholds,
// probe cadence and target, friendly name, endpoint recovery — resolved once per peer and per
// configuration load (a hub has 10,000 peers; a cycle must not search the config for each).
// Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "config/config.h"
#include "endpoint/endpoint_manager.h"
#include "probe/probe_target.h"
#include "tracker/health_policy.h"

namespace wgtrack {

struct ResolvedPeerPolicy {
  HealthPolicy health;
  std::uint32_t ping_interval = 1;  // probe every N regular cycles; 0 = never
  ProbeTargetSetting probe_target;
  // What the wg-quick file adds for `auto` (select_probe_target): only the AllowedIPs entries
  // written with host bits, and the interface's DNS addresses; empty without a wg-quick file.
  ProbeTargetHints probe_hints;
  std::string name;  // "" when none is configured
  // How the peer's endpoint is recovered; nullopt when it is not managed: recovery is off for
  // it, or it has no candidate host (no host name or IP in its wg-quick Endpoint, no
  // `endpoints`).
  std::optional<endpoint::PeerSetup> recovery;
};

ResolvedPeerPolicy resolve_peer_policy(const config::Config& config, const std::string& interface,
                                       const PublicKey& peer);

// True when some peer of `config` could be managed at all (a hub of dial-in peers has none,
// and then pays nothing for recovery per cycle).
bool recovery_configured(const config::Config& config);

}  // namespace wgtrack
