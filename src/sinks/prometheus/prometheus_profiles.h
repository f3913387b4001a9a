// Internal: the three profiles behind render_prometheus (prometheus_format.h).
#pragma once

#include <string>

#include "sinks/prometheus/prometheus_format.h"

namespace wgtrack::prom {

void render_native(const Snapshot& snapshot, const PrometheusOptions& options, std::string& out);
void render_mindflavor(const Snapshot& snapshot, const PrometheusOptions& options,
                       std::string& out);
void render_mdlayher(const Snapshot& snapshot, std::string& out);

}  // namespace wgtrack::prom
