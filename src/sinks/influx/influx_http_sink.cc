#include "sinks/influx/influx_http_sink.h"

#include <random>

#include "events/sink_text.h"
#include "http_client/http_url.h"

namespace wgtrack {

Result<std::unique_ptr<InfluxHttpSink>> InfluxHttpSink::create(boost::asio::io_context& io,
                                                               HttpClient& client,
                                                               const Clock& clock,
                                                               InfluxHttpOptions options,
                                                               SinkLog log, Jitter jitter) {
  auto target = influx_write_target(options);
  if (!target) return target.error();
  if (options.timeout.count() <= 0 || options.max_buffer_lines == 0 || options.batch_lines == 0)
    return Error(ErrorCode::kInvalidInput, "timeout, max_buffer and batch_lines must be positive");
  if (!jitter) {
    auto rng = std::make_shared<std::mt19937>(std::random_device{}());
    jitter = [rng] { return std::uniform_real_distribution<double>(0.0, 1.0)(*rng); };
  }
  std::string origin = parse_http_url(options.url)->origin();
  return std::unique_ptr<InfluxHttpSink>(new InfluxHttpSink(io, client, clock, std::move(options),
                                                            std::move(*target), std::move(origin),
                                                            std::move(log), std::move(jitter)));
}

InfluxHttpSink::InfluxHttpSink(boost::asio::io_context& io, HttpClient& client, const Clock& clock,
                               InfluxHttpOptions options, InfluxWriteTarget target,
                               std::string origin, SinkLog log, Jitter jitter)
    : client_(client),
      clock_(clock),
      options_(std::move(options)),
      target_(std::move(target)),
      origin_(std::move(origin)),
      reporter_(std::move(log)),
      jitter_(std::move(jitter)),
      buffer_(options_.max_buffer_lines, options_.batch_lines, options_.backoff),
      timer_(io),
      alive_(std::make_shared<int>(0)) {}

InfluxHttpSink::~InfluxHttpSink() {
  alive_.reset();
  timer_.cancel();
}

void InfluxHttpSink::publish(const Snapshot& snapshot) {
  std::string lines;
  render_influx(snapshot, options_.schema, lines);
  publish_lines(lines);
}

void InfluxHttpSink::publish_lines(std::string_view lines) {
  const std::uint64_t dropped_before = buffer_.lines_dropped();
  buffer_.add(influx_retime(lines, options_.precision));
  if (buffer_.lines_dropped() != dropped_before && !warned_overflow_) {
    warned_overflow_ = true;  // once until a batch gets through again
    reporter_.log(SinkLogLevel::kWarning, "influx_http " + origin_ + ": buffer full (" +
                                              std::to_string(options_.max_buffer_lines) +
                                              " lines); dropping the oldest");
  }
  poll();
}

void InfluxHttpSink::poll() {
  if (auto batch = buffer_.start(clock_.mono_now())) {
    HttpClientRequest request{target_.url, "text/plain; charset=utf-8", target_.headers,
                              std::move(*batch), options_.timeout};
    client_.post(std::move(request),
                 [this, alive = std::weak_ptr<int>(alive_)](Result<HttpClientResponse> r) {
                   if (alive.expired()) return;
                   sent(std::move(r));
                 });
  }
  arm_timer();
}

void InfluxHttpSink::sent(Result<HttpClientResponse> result) {
  using R = InfluxLineBuffer::Result;
  R outcome = R::kRetry;
  std::string what;
  if (result.ok()) {
    const unsigned status = result->status;
    if (is_success_status(status))
      outcome = R::kDelivered;
    else if (status == 400 || status == 413)
      outcome = R::kDiscard;
    // InfluxDB explains itself in a small JSON body ({"error":"..."}): worth a log line.
    what = "influx_http " + origin_ + ": HTTP " + std::to_string(status);
    std::string_view body = result->body;
    while (!body.empty() && (body.back() == '\n' || body.back() == '\r' || body.back() == ' '))
      body.remove_suffix(1);
    if (!body.empty()) what += ": " + sanitize_text(body, 200);
  } else {
    if (!is_retryable_error(result.error())) outcome = R::kDiscard;
    what = "influx_http: " + result.error().message;
  }
  buffer_.finish(outcome, clock_.mono_now(), jitter_());
  if (outcome == R::kDelivered) {
    warned_overflow_ = false;
    reporter_.succeeded("influx_http " + origin_);
  } else {
    ++requests_failed_;
    reporter_.failed(what + (outcome == R::kDiscard ? " (batch dropped)" : " (will retry)"));
  }
  poll();
}

void InfluxHttpSink::arm_timer() {
  const MonoTime now = clock_.mono_now();
  const auto next = buffer_.next_deadline(now);
  timer_.cancel();
  if (!next) return;
  timer_.expires_after(std::max(*next - now, MonoClock::duration::zero()));
  timer_.async_wait(
      [this, alive = std::weak_ptr<int>(alive_)](const boost::system::error_code& ec) {
        if (ec || alive.expired()) return;
        poll();
      });
}

InfluxHttpStats InfluxHttpSink::stats() const {
  InfluxHttpStats s;
  s.lines_written = buffer_.lines_written();
  s.lines_dropped = buffer_.lines_dropped();
  s.lines_rejected = buffer_.lines_discarded();
  s.requests_failed = requests_failed_;
  s.buffered_lines = buffer_.buffered_lines();
  s.degraded = reporter_.failing();
  return s;
}

}  // namespace wgtrack
