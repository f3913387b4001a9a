// The one meaning of "a valid configuration", for the start, `wgtrack check-config` and a
// SIGHUP reload alike: wgtrack.conf and the wg-quick files as loaded, plus every section the
// daemon layer reads ([output:…], [http], [history]).
#pragma once

#include <cstddef>
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

}  // namespace wgtrack
