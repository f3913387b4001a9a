// InfluxHttpSink (`type = influx_http`): writes each cycle's Snapshot to an InfluxDB /write
// (v1) or /api/v2/write (v2) endpoint through the HttpClient seam, on the daemon's loop.
// Snapshot -> render_influx (schema) -> influx_retime (precision) -> InfluxLineBuffer (bounded,
// drop oldest) -> one batch in flight at a time, retried with back-off.
//
// Server answers: 2xx delivered; 400 (bad line protocol, field type conflict) and 413 (too
// large) discard the batch (it would fail forever); anything else (401/403/404 until the
// operator fixes the server, 5xx, timeouts, refused) keeps the batch and retries. Failures are
// logged once per streak (naming the URL's origin only, never credentials) and counted.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <string>

#include "core/clock.h"
#include "events/event_sink.h"
#include "http_client/http_client.h"
#include "sinks/influx/influx_http_options.h"
#include "sinks/influx/influx_line_buffer.h"
#include "snapshot/snapshot.h"

namespace wgtrack {

struct InfluxHttpStats {
  std::uint64_t lines_written = 0;
  std::uint64_t lines_dropped = 0;    // buffer overflow while the server was away
  std::uint64_t lines_rejected = 0;   // batches the server refused as bad data
  std::uint64_t requests_failed = 0;  // failed attempts (each retried or rejected)
  std::size_t buffered_lines = 0;
  bool degraded = false;  // the last attempt failed
};

class InfluxHttpSink {
 public:
  using Jitter = std::function<double()>;  // uniform in [0, 1]

  // Validates the options (URL, database / org+bucket). `client` and `clock` must outlive the
  // sink. An empty `jitter` draws from a random generator.
  static Result<std::unique_ptr<InfluxHttpSink>> create(boost::asio::io_context& io,
                                                        HttpClient& client, const Clock& clock,
                                                        InfluxHttpOptions options, SinkLog log,
                                                        Jitter jitter = {});
  ~InfluxHttpSink();
  InfluxHttpSink(const InfluxHttpSink&) = delete;
  InfluxHttpSink& operator=(const InfluxHttpSink&) = delete;

  // Buffers the snapshot's lines (one cycle) and sends what can go now. Never blocks.
  void publish(const Snapshot& snapshot);
  // Lines already rendered (each ending in '\n', nanosecond timestamps), e.g. from a caller
  // that renders once for several outputs.
  void publish_lines(std::string_view lines);
  // Starts the next batch if one is due (the timer calls it; tests on a fake clock too).
  void poll();

  InfluxHttpStats stats() const;
  const std::string& write_url() const { return target_.url; }

 private:
  InfluxHttpSink(boost::asio::io_context& io, HttpClient& client, const Clock& clock,
                 InfluxHttpOptions options, InfluxWriteTarget target, std::string origin,
                 SinkLog log, Jitter jitter);
  void sent(Result<HttpClientResponse> result);
  void arm_timer();

  HttpClient& client_;
  const Clock& clock_;
  InfluxHttpOptions options_;
  InfluxWriteTarget target_;
  std::string origin_;
  FailureReporter reporter_;
  Jitter jitter_;
  InfluxLineBuffer buffer_;
  boost::asio::steady_timer timer_;
  std::shared_ptr<int> alive_;
  std::uint64_t requests_failed_ = 0;
  bool warned_overflow_ = false;
};

}  // namespace wgtrack
