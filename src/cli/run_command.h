// `wgtrack [run]`: the daemon in the foreground; `wgtrack check-config`: every diagnostic.
#pragma once

#include <optional>
#include <ostream>
#include <string>

namespace wgtrack {

struct RunOptions {
  std::string config_path = "/etc/wgtrack.conf";
  std::optional<std::string> loglevel;  // overrides [general] loglevel: debug|info|warning|error
};

// Runs until SIGTERM/SIGINT. Exit code: 0 after a clean stop, 1 when the configuration is
// invalid at start (its diagnostics are printed to `err`).
int run_daemon(const RunOptions& options, std::ostream& err);

// Prints every diagnostic of the configuration and its outputs as FILE:LINE: severity: text,
// then a summary; exit code 1 if there is any error (also in a skipped [peer:] section).
int check_config(const RunOptions& options, std::ostream& out);

}  // namespace wgtrack
