// `wgtrack show [INTERFACE] [--json]`: every WireGuard interface and peer, like `wg show`.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "wireguard/backend.h"

namespace wgtrack {

namespace config {
struct Config;
}

struct ShowOptions {
  std::optional<std::string> interface;
  bool json = false;
  // The configuration (wgtrack.conf and the wg-quick files) when it loaded: each peer then
  // shows where wgtrack's in-tunnel probes go, and why. nullptr: not shown.
  const config::Config* config = nullptr;
};

// Writes the view to `out`, diagnostics to `err`; returns the process exit code:
// 0 ok (also when there are no interfaces), 1 when a read failed (the message names the
// interface and, for permission problems, the missing capability).
int run_show(WireGuardBackend& backend, const ShowOptions& options, WallTime now,
             std::ostream& out, std::ostream& err);

}  // namespace wgtrack
