// WebhookSink (`type = webhook`): POSTs events to a URL through the HttpClient seam, on the
// daemon's loop. Per event: the grace filter (grace_filter.h: a disconnect is sent only if the
// peer is still down after `grace`), then a request body (webhook_format.h: json or content=)
// with the optional X-Wgtrack-Signature HMAC header and the operator's extra headers, then the
// bounded in-order delivery queue with retries (delivery_queue.h).
//
// Never blocks: publish() queues (or drops and counts when max_queue is reached) and returns.
// Failures are logged once per streak (FailureReporter) and counted (SinkStats::errors per
// failed attempt; events_dropped for overflow and requests given up). Logs name the URL's
// origin only (chat webhook URLs carry their token in the path), never the secret, headers or
// bodies.
//
// Time: grace deadlines and retry waits are MonoTime from the Clock; one steady_timer wakes
// the sink for the earliest of them. poll() does the same work by hand (tests on a fake clock
// call it after advancing; flush() calls it too).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/clock.h"
#include "events/event_sink.h"
#include "http_client/http_client.h"
#include "sinks/webhook/delivery_queue.h"
#include "sinks/webhook/grace_filter.h"
#include "sinks/webhook/webhook_format.h"

namespace wgtrack {

struct WebhookOptions {
  std::string url;  // http:// or https://
  WebhookFormat format = WebhookFormat::kJson;
  std::chrono::milliseconds grace = std::chrono::seconds(30);    // 0 = send disconnects at once
  std::chrono::milliseconds timeout = std::chrono::seconds(10);  // per attempt (wgmon: 10 s)
  std::uint32_t retries = 3;
  RetryBackoff backoff;  // 1 s, 2 s, 4 s ... capped at 60 s, jittered
  std::size_t max_queue = 256;
  std::string secret;                     // non-empty: sign the body (never logged)
  std::vector<HttpClientHeader> headers;  // extra request headers (values never logged)
};

class WebhookSink final : public EventSink {
 public:
  using Jitter = std::function<double()>;  // uniform in [0, 1]

  // Validates the URL (http/https, no user info) and the headers. `client` and `clock` must
  // outlive the sink. An empty `jitter` draws from a random generator.
  static Result<std::unique_ptr<WebhookSink>> create(boost::asio::io_context& io,
                                                     HttpClient& client, const Clock& clock,
                                                     WebhookOptions options, SinkLog log,
                                                     Jitter jitter = {});
  ~WebhookSink() override;
  WebhookSink(const WebhookSink&) = delete;
  WebhookSink& operator=(const WebhookSink&) = delete;

  void publish(const Event& event) override;
  void flush() override { poll(); }
  SinkStats stats() const override;

  // Releases disconnects whose grace ended and starts the next request that is due.
  void poll();

  std::size_t held() const { return grace_.held(); }
  std::size_t queued() const { return queue_.size(); }
  std::uint64_t suppressed_flaps() const { return grace_.suppressed(); }
  std::uint64_t given_up() const { return queue_.gave_up(); }

 private:
  WebhookSink(boost::asio::io_context& io, HttpClient& client, const Clock& clock,
              WebhookOptions options, std::string origin, SinkLog log, Jitter jitter);
  void enqueue(const Event& event);
  void sent(Result<HttpClientResponse> result);
  void arm_timer();

  HttpClient& client_;
  const Clock& clock_;
  WebhookOptions options_;
  std::string origin_;  // what logs show of the URL
  FailureReporter reporter_;
  Jitter jitter_;
  GraceFilter grace_;
  DeliveryQueue queue_;
  boost::asio::steady_timer timer_;
  std::shared_ptr<int> alive_;  // callbacks hold a weak_ptr: they may outlive the sink
  SinkStats stats_;
  bool warned_overflow_ = false;
};

}  // namespace wgtrack
