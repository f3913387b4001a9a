#include "daemon/config_check.h"

#include "daemon/history_settings.h"
#include "daemon/http_settings.h"
#include "daemon/outputs.h"

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

}  // namespace wgtrack
