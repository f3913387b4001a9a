// WebhookSink end to end: the real BeastHttpClient against a real HTTP receiver on 127.0.0.1
// (http_client/testing) that answers 500 then 200, is down (connection refused) or never
// answers; checks the HMAC header and the content= body as the receiver got them. Real time,
// short waits (tens of milliseconds), bounded by run_until; loopback only.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "http_client/beast_http_client.h"
#include "http_client/testing/test_http_receiver.h"
#include "sinks/webhook/hmac_sha256.h"
#include "sinks/webhook/webhook_sink.h"
#include "sys/system_clock.h"

namespace wgtrack {
namespace {

using namespace std::chrono_literals;
using testing::run_until;
using testing::TestHttpReceiver;

Event down_event() {
  Event e;
  e.type = EventType::kStatusChange;
  e.interface = "wg0";
  e.peer = *PublicKey::from_base64("rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=");
  e.old_status = "up";
  e.status = "down";
  e.endpoint = *Endpoint::parse("192.0.2.2:51820");
  e.reason = "2 probes failed";
  return e;
}

class WebhookReceiverTest : public ::testing::Test {
 protected:
  std::unique_ptr<WebhookSink> make(WebhookOptions o) {
    auto s =
        WebhookSink::create(io_, client_, clock_, std::move(o),
                            [this](SinkLogLevel, std::string_view m) { log_.emplace_back(m); });
    EXPECT_TRUE(s.ok()) << s.error().message;
    return std::move(*s);
  }

  boost::asio::io_context io_;
  SystemClock clock_;
  TestHttpReceiver receiver_{io_};
  BeastHttpClient client_{io_, nullptr};
  std::vector<std::string> log_;
};

TEST_F(WebhookReceiverTest, ServerErrorThenSuccessDeliversOnceSignedContentForm) {
  receiver_.script({TestHttpReceiver::status(500), TestHttpReceiver::status(200)});
  auto sink = make({.url = receiver_.url("/hook"),
                    .format = WebhookFormat::kContent,
                    .grace = 0s,
                    .retries = 3,
                    .backoff = {20ms, 100ms},
                    .secret = "receiver-secret"});
  sink->publish(down_event());
  ASSERT_TRUE(run_until(io_, [&] { return sink->stats().events_written == 1; }));
  ASSERT_EQ(receiver_.received().size(), 2u);
  for (const auto& got : receiver_.received()) {
    EXPECT_EQ(got.target, "/hook");
    EXPECT_EQ(got.header("content-type"), "application/x-www-form-urlencoded");
    // What a receiver does to verify: HMAC the raw body it received with the shared secret.
    EXPECT_EQ(got.header("x-wgtrack-signature"), webhook_signature("receiver-secret", got.body));
    EXPECT_EQ(got.body,
              "content=Connection+wg0%3ArtgrUqCxgnQulBKXP4b%2FZVW3KXHo2Q01lC7MnPPlNGI%3D+on+"
              "endpoint+192.0.2.2%3A51820+is+closed%0A2+probes+failed");
  }
  EXPECT_EQ(sink->stats().errors, 1u);
  EXPECT_FALSE(sink->stats().degraded);
}

TEST_F(WebhookReceiverTest, ReceiverDownIsRetriedThenDroppedAndCounted) {
  const auto port = testing::closed_loopback_port(io_);
  auto sink = make({.url = "http://127.0.0.1:" + std::to_string(port) + "/",
                    .grace = 0s,
                    .retries = 2,
                    .backoff = {10ms, 20ms}});
  sink->publish(down_event());
  ASSERT_TRUE(run_until(io_, [&] { return sink->stats().events_dropped == 1; }));
  EXPECT_EQ(sink->stats().errors, 3u);
  EXPECT_TRUE(sink->stats().degraded);
  ASSERT_EQ(log_.size(), 1u);  // one warning for the whole streak
  EXPECT_NE(log_[0].find("connecting"), std::string::npos) << log_[0];
}

TEST_F(WebhookReceiverTest, SlowReceiverTimesOutAndTheNextEventStillGoesOut) {
  receiver_.script({TestHttpReceiver::hang()});
  auto sink = make({.url = receiver_.url("/"), .grace = 0s, .timeout = 150ms, .retries = 0});
  sink->publish(down_event());
  Event up = down_event();
  up.old_status = "down";
  up.status = "up";
  sink->publish(up);  // queued behind the hung request: publish returns at once
  EXPECT_EQ(sink->queued(), 2u);
  ASSERT_TRUE(run_until(io_, [&] { return sink->stats().events_written == 1; }));
  EXPECT_EQ(sink->stats().events_dropped, 1u);
  ASSERT_EQ(receiver_.received().size(), 2u);
  EXPECT_NE(receiver_.received()[1].body.find("\"status\":\"up\""), std::string::npos);
  ASSERT_FALSE(log_.empty());
  EXPECT_NE(log_[0].find("timed out"), std::string::npos) << log_[0];
}

TEST_F(WebhookReceiverTest, GraceTimerReleasesTheDisconnectWithoutAPoll) {
  auto sink = make({.url = receiver_.url("/"), .grace = 100ms});
  const auto start = std::chrono::steady_clock::now();
  sink->publish(down_event());
  EXPECT_EQ(sink->held(), 1u);
  ASSERT_TRUE(run_until(io_, [&] { return receiver_.received().size() == 1; }));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 100ms);
  EXPECT_NE(receiver_.received()[0].body.find("\"status\":\"down\""), std::string::npos);
}

}  // namespace
}  // namespace wgtrack
