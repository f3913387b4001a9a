#include "daemon/outputs.h"

#include <boost/asio/io_context.hpp>
#include <charconv>
#include <set>

#include "config/durations.h"
#include "config/section_reader.h"
#include "sinks/influx/influx_http_options.h"
#include "sinks/webhook/webhook_options.h"

namespace wgtrack {
namespace {

using config::Diagnostic;
using config::SectionReader;
using config::Severity;

template <typename T>
void read_count(SectionReader& r, std::string_view key, T& out, std::uint32_t min,
                std::uint32_t max) {
  if (const auto* e = r.get(key)) {
    auto v = config::parse_count(e->value, min, max);
    if (!v)
      r.error(e, std::string(key) + " = '" + e->value + "': " + v.error().message);
    else
      out = static_cast<T>(*v);
  }
}

}  // namespace

std::optional<std::uint64_t> parse_size(std::string_view text) {
  std::uint64_t mult = 1;
  if (!text.empty()) {
    std::string_view unit = text;
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    unit = text.substr(digits);
    text = text.substr(0, digits);
    if (unit == "" || unit == "B")
      mult = 1;
    else if (unit == "k" || unit == "K" || unit == "KiB" || unit == "KB")
      mult = 1ull << 10;
    else if (unit == "M" || unit == "MiB" || unit == "MB")
      mult = 1ull << 20;
    else if (unit == "G" || unit == "GiB" || unit == "GB")
      mult = 1ull << 30;
    else
      return std::nullopt;
  }
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
  if (v > (~std::uint64_t{0}) / mult) return std::nullopt;
  return v * mult;
}

EventTypeSet default_events() {
  // Handshakes happen every ~2 minutes per busy peer: opt-in only.
  EventTypeSet s;
  for (auto t : {EventType::kInitialStatus, EventType::kStatusChange, EventType::kPeerAdded,
                 EventType::kPeerRemoved, EventType::kEndpointChanged, EventType::kResolveFailed,
                 EventType::kCandidateUnreachable}) {
    s.insert(t);
  }
  return s;
}

std::vector<OutputSpec> parse_event_outputs(const config::Config& config,
                                            std::vector<Diagnostic>& diagnostics) {
  std::vector<OutputSpec> specs;
  for (const config::OutputSection& s : config.outputs) {
    if (s.type != "journal" && s.type != "file" && s.type != "exec") continue;
    SectionReader r(s, diagnostics);
    OutputSpec spec{s.name, s.type, default_events(), {}};
    if (const auto* e = r.get("events")) {
      auto set = EventTypeSet::parse(e->value);
      if (!set)
        r.error(e, "events = '" + e->value + "': " + set.error().message);
      else
        spec.events = *set;
    }
    if (s.type == "journal") {
      JournalSinkOptions o;
      if (const auto* e = r.get("identifier")) o.identifier = e->value;
      read_count(r, "max_queue", o.max_queue, 1, 1'000'000);
      spec.options = o;
    } else if (s.type == "file") {
      FileSinkOptions o;
      if (const auto* e = r.get("path"))
        o.path = e->value;
      else
        r.error(nullptr, "[output:" + s.name + "] type = file needs path = FILE (or - for stdout)");
      if (const auto* e = r.get("max_size")) {
        auto v = parse_size(e->value);
        if (!v)
          r.error(e, "max_size = '" + e->value + "': expected bytes like 10M, 512k, 1G");
        else
          o.max_size = *v;
      }
      read_count(r, "keep", o.keep, 0, FileSink::kMaxKeep);
      spec.options = o;
    } else {
      ExecSinkOptions o;
      if (const auto* e = r.get("command"))
        o.command = e->value;
      else
        r.error(nullptr, "[output:" + s.name + "] type = exec needs command = /path/to/program");
      if (const auto* e = r.get("timeout")) {
        auto d = config::parse_duration(e->value);
        if (!d || d->count() <= 0)
          r.error(e, "timeout = '" + e->value + "': expected a duration like 10s");
        else
          o.timeout = *d;
      }
      read_count(r, "max_running", o.max_running, 1, 64);
      read_count(r, "max_queue", o.max_queue, 1, 100'000);
      spec.options = o;
    }
    r.warn_unknown({"type"});
    if (!r.failed()) specs.push_back(std::move(spec));
  }
  return specs;
}

std::vector<InfluxFileSpec> parse_state_outputs(const config::Config& config,
                                                std::vector<Diagnostic>& diagnostics) {
  std::vector<InfluxFileSpec> specs;
  for (const config::OutputSection& s : config.outputs) {
    if (s.type == "journal" || s.type == "file" || s.type == "exec" || s.type == "webhook" ||
        s.type == "influx_http") {
      continue;  // parse_event_outputs, parse_webhook_outputs, parse_influx_http_outputs
    }
    if (s.type != "influx_file") {
      // Say so instead of silently writing nothing.
      diagnostics.push_back({Severity::kWarning, s.file, s.line,
                             "[output:" + s.name + "] type = " + s.type +
                                 " is not supported by this version of wgtrack yet; ignored"});
      continue;
    }
    SectionReader r(s, diagnostics);
    InfluxFileSpec spec{s.name, {}, InfluxSchema::kWgtrack};
    const auto* path = r.get("filename");
    if (const auto* p = r.get("path")) path = p;
    if (path)
      spec.path = path->value;
    else
      r.error(nullptr, "[output:" + s.name + "] type = influx_file needs filename = FILE");
    if (const auto* e = r.get("schema")) {
      auto schema = parse_influx_schema(e->value);
      if (!schema)
        r.error(e, "schema = '" + e->value + "': expected wgtrack or telegraf");
      else
        spec.schema = *schema;
    }
    r.warn_unknown({"type"});
    if (!r.failed()) specs.push_back(std::move(spec));
  }
  return specs;
}

std::unique_ptr<EventBus> build_event_bus(const std::vector<OutputSpec>& specs,
                                          boost::asio::io_context& io, const SinkLog& log,
                                          std::vector<std::string>& errors) {
  auto bus = std::make_unique<EventBus>();
  for (const OutputSpec& spec : specs) {
    const std::string prefix = "[output:" + spec.name + "]";
    SinkLog sink_log = [log, prefix](SinkLogLevel level, std::string_view message) {
      if (log) log(level, prefix + " " + std::string(message));
    };
    Result<std::unique_ptr<EventSink>> sink = Error(ErrorCode::kInvalidInput, "unknown type");
    if (const auto* j = std::get_if<JournalSinkOptions>(&spec.options)) {
      auto s = JournalSink::create(*j, sink_log);
      sink = s ? Result<std::unique_ptr<EventSink>>(std::move(*s)) : s.error();
    } else if (const auto* f = std::get_if<FileSinkOptions>(&spec.options)) {
      auto s = FileSink::create(*f, sink_log);
      sink = s ? Result<std::unique_ptr<EventSink>>(std::move(*s)) : s.error();
    } else if (const auto* x = std::get_if<ExecSinkOptions>(&spec.options)) {
      auto s = ExecSink::create(io, *x, sink_log);
      sink = s ? Result<std::unique_ptr<EventSink>>(std::move(*s)) : s.error();
    }
    if (!sink) {
      errors.push_back(prefix + ": " + sink.error().message);
      continue;
    }
    bus->add(spec.name, std::move(*sink), spec.events);
  }
  return bus;
}

void validate_outputs(const config::Config& config, std::vector<Diagnostic>& diagnostics) {
  (void)parse_event_outputs(config, diagnostics);
  (void)parse_state_outputs(config, diagnostics);
  (void)parse_webhook_outputs(config, diagnostics);
  (void)parse_influx_http_outputs(config, diagnostics);
}

}  // namespace wgtrack
