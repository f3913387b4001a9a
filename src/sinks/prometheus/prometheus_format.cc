#include "sinks/prometheus/prometheus_format.h"

#include "sinks/prometheus/prometheus_profiles.h"

namespace wgtrack {

std::string_view to_string(PrometheusProfile profile) {
  switch (profile) {
    case PrometheusProfile::kNative:
      return "native";
    case PrometheusProfile::kMindFlavor:
      return "mindflavor";
    case PrometheusProfile::kMdlayher:
      return "mdlayher";
  }
  return "native";
}

std::optional<PrometheusProfile> parse_prometheus_profile(std::string_view text) {
  for (auto p :
       {PrometheusProfile::kNative, PrometheusProfile::kMindFlavor, PrometheusProfile::kMdlayher}) {
    if (text == to_string(p)) return p;
  }
  return std::nullopt;
}

void render_prometheus(const Snapshot& snapshot, const PrometheusOptions& options,
                       std::string& out) {
  switch (options.profile) {
    case PrometheusProfile::kNative:
      prom::render_native(snapshot, options, out);
      return;
    case PrometheusProfile::kMindFlavor:
      prom::render_mindflavor(snapshot, options, out);
      return;
    case PrometheusProfile::kMdlayher:
      prom::render_mdlayher(snapshot, out);
      return;
  }
}

std::string render_prometheus(const Snapshot& snapshot, const PrometheusOptions& options) {
  std::string out;
  render_prometheus(snapshot, options, out);
  return out;
}

}  // namespace wgtrack
