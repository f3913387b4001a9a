// `wgtrack show [INTERFACE] [--json]`: every WireGuard interface and peer, like `wg show`.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "wireguard/backend.h"

namespace wgtrack {

struct ShowOptions {
  std::optional<std::string> interface;
  bool json = false;
};

// Writes the view to `out`, diagnostics to `err`; returns the process exit code:
// 0 ok (also when there are no interfaces), 1 when a read failed (the message names the
// interface and, for permission problems, the missing capability).
int run_show(WireGuardBackend& backend, const ShowOptions& options, WallTime now,
             std::ostream& out, std::ostream& err);

}  // namespace wgtrack
