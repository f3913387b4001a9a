// The [history] section (sinks/history): the SQLite event and traffic history.
//
//   [history]
//   enabled           = yes                            (default yes)
//   path              = /var/lib/wgtrack/history.db    (the systemd unit's StateDirectory)
//   retention_minutes = 1d     (1-minute traffic samples)
//   retention_hours   = 90d    (1-hour traffic samples)
//   retention_events  = 90d
//   max_size          = 100M   (0 = unbounded; the oldest minute rows go first). A hub with
//                              10,000 peers keeps ~350 MB of minute rows a day: raise it or
//                              shorten retention_minutes.
// Read at start. A database that cannot be opened is reported and the daemon monitors without.
#pragma once

#include <optional>
#include <vector>

#include "config/config.h"
#include "sinks/history/history_options.h"

namespace wgtrack {

// nullopt: disabled, or errors (appended to `diagnostics` with file:line).
std::optional<HistoryOptions> parse_history_settings(const config::Config& config,
                                                     std::vector<config::Diagnostic>& diagnostics);

}  // namespace wgtrack
