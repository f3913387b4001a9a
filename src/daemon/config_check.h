// The one meaning of "a valid configuration", for the start, `wgtrack check-config` and a
// SIGHUP reload alike: wgtrack.conf and the wg-quick files as loaded, plus every section the
// daemon layer reads ([output:…], [http], [history]).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "config/config.h"

namespace wgtrack {

struct ConfigCheck {
  std::vector<config::Diagnostic> diagnostics;  // all of them, the loader's first
  std::size_t errors = 0;
  std::size_t warnings = 0;
  // The daemon runs with it (starts, or takes it on reload): no error outside a [peer:]
  // section, which is skipped with its message while the rest keeps running.
  bool usable = false;
};

ConfigCheck validate_config(const config::ConfigResult& loaded);

// Where the in-tunnel probes of each wg-quick peer would go (probe_target = auto and the rest,
// as the daemon chooses them), judged on the file's AllowedIPs as the device will hold them
// (host bits cleared, as wg(8) does). Per interface one summary line, then a line for each peer
// whose target does not come from a /32 or /128 (at most `max_listed` per interface), e.g.
//   wg0: probe targets of 3 peers: 1 host_allowed_ip, 1 wg_quick_address, 1 none
//     wg0 laptop: 172.25.1.1 (host address written in the wg-quick AllowedIPs)
//     wg0 phone: no probe target (no /32 or /128 allowed IP, ...; set probe_target)
std::string describe_probe_targets(const config::Config& config, std::size_t max_listed = 20);

}  // namespace wgtrack
