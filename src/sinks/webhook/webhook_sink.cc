#include "sinks/webhook/webhook_sink.h"

#include "http_client/http_url.h"
#include "sinks/webhook/hmac_sha256.h"

namespace wgtrack {

Result<std::unique_ptr<WebhookSink>> WebhookSink::create(boost::asio::io_context& io,
                                                         HttpClient& client, const Clock& clock,
                                                         WebhookOptions options, SinkLog log,
                                                         Jitter jitter) {
  auto url = parse_http_url(options.url);
  if (!url) return url.error().context("url");
  for (const auto& h : options.headers) {
    if (h.name.empty() || h.name.find_first_of(":\r\n ") != std::string::npos ||
        h.value.find_first_of("\r\n") != std::string::npos)
      return Error(ErrorCode::kInvalidInput, "bad header '" + h.name + "'");
  }
  if (options.timeout.count() <= 0)
    return Error(ErrorCode::kInvalidInput, "timeout must be positive");
  if (options.max_queue == 0) return Error(ErrorCode::kInvalidInput, "max_queue must be >= 1");
  if (!jitter) {
    auto rng = std::make_shared<std::mt19937>(std::random_device{}());
    jitter = [rng] { return std::uniform_real_distribution<double>(0.0, 1.0)(*rng); };
  }
  return std::unique_ptr<WebhookSink>(new WebhookSink(
      io, client, clock, std::move(options), url->origin(), std::move(log), std::move(jitter)));
}

WebhookSink::WebhookSink(boost::asio::io_context& io, HttpClient& client, const Clock& clock,
                         WebhookOptions options, std::string origin, SinkLog log, Jitter jitter)
    : client_(client),
      clock_(clock),
      options_(std::move(options)),
      origin_(std::move(origin)),
      reporter_(std::move(log)),
      jitter_(std::move(jitter)),
      grace_(options_.grace),
      queue_({options_.max_queue, options_.retries, options_.backoff}),
      timer_(io),
      alive_(std::make_shared<int>(0)) {}

WebhookSink::~WebhookSink() {
  alive_.reset();
  timer_.cancel();
}

void WebhookSink::publish(const Event& event) {
  for (const Event& e : grace_.offer(event, clock_.mono_now())) enqueue(e);
  poll();
}

void WebhookSink::enqueue(const Event& event) {
  WebhookBody body = webhook_body(event, options_.format);
  HttpClientRequest request;
  request.url = options_.url;
  request.content_type = std::move(body.content_type);
  request.headers = options_.headers;
  if (!options_.secret.empty())
    request.headers.push_back(
        {std::string(kSignatureHeader), webhook_signature(options_.secret, body.body)});
  request.body = std::move(body.body);
  request.timeout = options_.timeout;
  if (queue_.push(std::move(request))) {
    warned_overflow_ = false;
    return;
  }
  ++stats_.events_dropped;
  if (!warned_overflow_) {  // once per overflow streak
    warned_overflow_ = true;
    reporter_.log(SinkLogLevel::kWarning, "webhook " + origin_ + ": " +
                                              std::to_string(options_.max_queue) +
                                              " events queued; dropping events");
  }
}

void WebhookSink::poll() {
  const MonoTime now = clock_.mono_now();
  for (const Event& e : grace_.due(now)) enqueue(e);
  if (const HttpClientRequest* request = queue_.start(now)) {
    client_.post(*request,
                 [this, alive = std::weak_ptr<int>(alive_)](Result<HttpClientResponse> r) {
                   if (alive.expired()) return;
                   sent(std::move(r));
                 });
  }
  arm_timer();
}

void WebhookSink::sent(Result<HttpClientResponse> result) {
  const bool delivered = result.ok() && is_success_status(result->status);
  const bool retryable =
      result.ok() ? is_retryable_status(result->status) : is_retryable_error(result.error());
  const std::string what = result.ok()
                               ? "webhook " + origin_ + ": HTTP " + std::to_string(result->status)
                               : "webhook: " + result.error().message;
  const std::uint32_t attempt = queue_.head_attempts();
  switch (queue_.finish(delivered, retryable, clock_.mono_now(), jitter_())) {
    case DeliveryQueue::Outcome::kDelivered:
      ++stats_.events_written;
      reporter_.succeeded("webhook " + origin_);
      break;
    case DeliveryQueue::Outcome::kRetrying:
      ++stats_.errors;
      reporter_.failed(what + " (attempt " + std::to_string(attempt) + ", retrying)");
      break;
    case DeliveryQueue::Outcome::kGaveUp:
      ++stats_.errors;
      ++stats_.events_dropped;
      reporter_.failed(what + " (attempt " + std::to_string(attempt) + ", event dropped)");
      break;
  }
  poll();
}

void WebhookSink::arm_timer() {
  const MonoTime now = clock_.mono_now();
  std::optional<MonoTime> next = grace_.next_deadline();
  if (auto q = queue_.next_deadline(now); q && (!next || *q < *next)) next = q;
  timer_.cancel();
  if (!next) return;
  const auto wait = std::max(*next - now, MonoClock::duration::zero());
  timer_.expires_after(wait);
  timer_.async_wait(
      [this, alive = std::weak_ptr<int>(alive_)](const boost::system::error_code& ec) {
        if (ec || alive.expired()) return;
        poll();
      });
}

SinkStats WebhookSink::stats() const {
  SinkStats s = stats_;
  s.degraded = reporter_.failing();
  return s;
}

}  // namespace wgtrack
