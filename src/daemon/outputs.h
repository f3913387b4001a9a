// The [output:NAME] sections that carry events (journal, file, exec): their keys parsed into
// sink options with file:line diagnostics (pure, so check-config reports them without
// starting anything), and the sinks built from them (the edge).
//
//   [output:NAME]
//   type   = journal | file | exec
//   events = all | status_change, peer_removed, ...   (default: all but handshake)
//   journal: identifier = wgtrack
//   file:    path = /var/log/wgtrack/events.jsonl (or - for stdout), max_size = 10M, keep = 5
//   exec:    command = /usr/local/bin/on-change --flag, timeout = 10s, max_running = 4,
//            max_queue = 256
//
// State outputs, rendered from a Snapshot after every cycle:
//   [output:influx]                     towalink/wgtrack's section works unchanged: no `type`
//   type     = influx_file              and a `filename` means influx_file
//   filename = /var/cache/wg-track_influx.out   (or path = ...)
//   schema   = wgtrack | telegraf       (default wgtrack: towalink/wgtrack's, integer counters)
//   type = influx_http (sinks/influx/influx_http_options.h): batches to InfluxDB /write or
//   /api/v2/write each cycle.
// Event outputs with their own parsers: type = webhook (sinks/webhook/webhook_options.h).
// Unknown types are a warning: nothing is silently ignored.
#pragma once

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "config/config.h"
#include "events/event_sink.h"
#include "sinks/exec/exec_sink.h"
#include "sinks/influx/influx_format.h"
#include "sinks/file/file_sink.h"
#include "sinks/journal/journal_sink.h"

namespace boost::asio {
class io_context;
}

namespace wgtrack {

struct OutputSpec {
  std::string name;
  std::string type;
  EventTypeSet events;
  std::variant<JournalSinkOptions, FileSinkOptions, ExecSinkOptions> options;
};

// `events = ` when an output does not say: every type but handshake (every ~2 minutes per busy
// peer: opt-in only).
EventTypeSet default_events();

// The event outputs of `config`, in file order. Errors (bad values, missing required keys)
// and warnings (unknown keys, types not handled here) are appended to `diagnostics`; a section
// with an error is left out.
std::vector<OutputSpec> parse_event_outputs(const config::Config& config,
                                            std::vector<config::Diagnostic>& diagnostics);

struct InfluxFileSpec {
  std::string name;
  std::string path;
  InfluxSchema schema = InfluxSchema::kWgtrack;
};

// The influx_file outputs of `config`; warns about output types this version does not have.
std::vector<InfluxFileSpec> parse_state_outputs(const config::Config& config,
                                                std::vector<config::Diagnostic>& diagnostics);

// Every output section's diagnostics (all types), without building anything: check-config
// and the SIGHUP decision.
void validate_outputs(const config::Config& config, std::vector<config::Diagnostic>& diagnostics);

// "10M", "512k", "1G", "4096" (bytes; binary multiples). nullopt when malformed.
std::optional<std::uint64_t> parse_size(std::string_view text);

// Builds every sink; one that cannot be created (unwritable file, missing program) is
// reported in `errors` and left out, the others still run.
std::unique_ptr<EventBus> build_event_bus(const std::vector<OutputSpec>& specs,
                                          boost::asio::io_context& io, const SinkLog& log,
                                          std::vector<std::string>& errors);

}  // namespace wgtrack
