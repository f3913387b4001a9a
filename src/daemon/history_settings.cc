#include "daemon/history_settings.h"

#include "config/section_reader.h"
#include "daemon/outputs.h"

namespace wgtrack {
namespace {

void retention(config::SectionReader& r, std::string_view key, std::chrono::seconds& out) {
  if (const auto* e = r.get(key)) {
    auto d = config::parse_duration(e->value);
    if (!d || *d < std::chrono::minutes(1)) {
      r.bad_value(e, "a duration of at least 1 minute, e.g. 1d or 90d");
    } else {
      out = std::chrono::duration_cast<std::chrono::seconds>(*d);
    }
  }
}

}  // namespace

std::optional<HistoryOptions> parse_history_settings(const config::Config& config,
                                                     std::vector<config::Diagnostic>& diagnostics) {
  HistoryOptions out;
  if (!config.history) return out;
  config::SectionReader r(*config.history, diagnostics);
  r.boolean("enabled", out.enabled);
  if (const auto* e = r.get("path")) {
    if (e->value.empty())
      r.bad_value(e, "a file path such as /var/lib/wgtrack/history.db");
    else
      out.path = e->value;
  }
  retention(r, "retention_minutes", out.retention_minutes);
  retention(r, "retention_hours", out.retention_hours);
  retention(r, "retention_events", out.retention_events);
  if (const auto* e = r.get("max_size")) {
    auto size = parse_size(e->value);
    if (!size)
      r.bad_value(e, "a size such as 100M or 2G, or 0 for unbounded");
    else
      out.max_size = *size;
  }
  r.warn_unknown();
  if (r.failed() || !out.enabled) return std::nullopt;
  return out;
}

}  // namespace wgtrack
