// WebhookSink on a fake clock and FakeHttpClient: grace, retries, queue bound, signature, logs.
// The io_context is never run: the tests drive time with FakeClock::advance() and poll().
#include "sinks/webhook/webhook_sink.h"

#include <gtest/gtest.h>

#include "events/event_json.h"
#include "sinks/webhook/hmac_sha256.h"
#include "support/fake_clock.h"
#include "support/fake_http_client.h"

namespace wgtrack {
namespace {

using namespace std::chrono_literals;

const PublicKey kA = *PublicKey::from_base64("rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=");

Event change(std::string from, std::string to) {
  Event e;
  e.type = EventType::kStatusChange;
  e.interface = "wg0";
  e.peer = kA;
  e.old_status = std::move(from);
  e.status = std::move(to);
  return e;
}

class WebhookSinkTest : public ::testing::Test {
 protected:
  std::unique_ptr<WebhookSink> make(WebhookOptions o) {
    if (o.url.empty()) o.url = "https://hooks.example.net/api/webhooks/123/TOKEN";
    auto s = WebhookSink::create(
        io_, http_, clock_, std::move(o),
        [this](SinkLogLevel, std::string_view m) { log_.emplace_back(m); }, [] { return 0.0; });
    EXPECT_TRUE(s.ok()) << s.error().message;
    return std::move(*s);
  }

  boost::asio::io_context io_;
  testing::FakeClock clock_;
  testing::FakeHttpClient http_;
  std::vector<std::string> log_;
};

TEST_F(WebhookSinkTest, FlapWithinTheGraceSendsNothing) {
  auto sink = make({.grace = 30s});
  sink->publish(change("up", "down"));
  clock_.advance(5s);
  sink->poll();
  sink->publish(change("down", "up"));
  clock_.advance(60s);
  sink->poll();
  EXPECT_TRUE(http_.requests.empty());
  EXPECT_EQ(sink->suppressed_flaps(), 1u);
  EXPECT_EQ(sink->held(), 0u);
}

TEST_F(WebhookSinkTest, DisconnectStillDownAfterTheGraceIsPostedAsJson) {
  auto sink = make({.grace = 30s, .timeout = 3s});
  const Event down = change("up", "down");
  sink->publish(down);
  clock_.advance(29s);
  sink->poll();
  EXPECT_TRUE(http_.requests.empty());
  clock_.advance(1s);
  sink->poll();
  ASSERT_EQ(http_.requests.size(), 1u);
  EXPECT_EQ(http_.requests[0].body, event_json(down));
  EXPECT_EQ(http_.requests[0].content_type, "application/json");
  EXPECT_EQ(http_.requests[0].timeout, 3s);
  http_.respond(200);
  EXPECT_EQ(sink->stats().events_written, 1u);
  EXPECT_FALSE(sink->stats().degraded);
}

TEST_F(WebhookSinkTest, ServerErrorIsRetriedAfterTheBackOff) {
  auto sink = make({.grace = 0s, .retries = 3, .backoff = {1s, 60s}});
  sink->publish(change("up", "idle"));
  ASSERT_EQ(http_.pending(), 1u);
  http_.respond(500);
  EXPECT_EQ(sink->stats().errors, 1u);
  EXPECT_TRUE(sink->stats().degraded);
  clock_.advance(499ms);  // jitter 0: half of the nominal 1 s
  sink->poll();
  EXPECT_EQ(http_.requests.size(), 1u);
  clock_.advance(1ms);
  sink->poll();
  ASSERT_EQ(http_.requests.size(), 2u);
  EXPECT_EQ(http_.requests[1].body, http_.requests[0].body);
  http_.respond(200);
  EXPECT_EQ(sink->stats().events_written, 1u);
  EXPECT_FALSE(sink->stats().degraded);
  ASSERT_EQ(log_.size(), 2u);  // one warning for the streak, one "recovered"
  EXPECT_NE(log_[0].find("HTTP 500"), std::string::npos) << log_[0];
}

TEST_F(WebhookSinkTest, GivesUpAfterTheRetriesAndKeepsOrder) {
  auto sink = make({.grace = 0s, .retries = 1, .backoff = {1s, 60s}});
  sink->publish(change("up", "idle"));
  sink->publish(change("idle", "up"));
  http_.fail(ErrorCode::kTimeout, "hooks.example.net: timed out");
  clock_.advance(1s);
  sink->poll();
  ASSERT_EQ(http_.requests.size(), 2u);
  EXPECT_NE(http_.requests[1].body.find("\"status\":\"idle\""), std::string::npos);
  http_.fail(ErrorCode::kTransient, "refused");
  // Given up: the next event goes out at once.
  ASSERT_EQ(http_.requests.size(), 3u);
  EXPECT_NE(http_.requests[2].body.find("\"status\":\"up\""), std::string::npos);
  http_.respond(204);
  const SinkStats s = sink->stats();
  EXPECT_EQ(s.events_written, 1u);
  EXPECT_EQ(s.events_dropped, 1u);
  EXPECT_EQ(s.errors, 2u);
  EXPECT_EQ(sink->given_up(), 1u);
}

TEST_F(WebhookSinkTest, ClientErrorIsNotRetried) {
  auto sink = make({.grace = 0s, .retries = 5});
  sink->publish(change("up", "idle"));
  http_.respond(404);
  clock_.advance(10min);
  sink->poll();
  EXPECT_EQ(http_.requests.size(), 1u);
  EXPECT_EQ(sink->stats().events_dropped, 1u);
}

TEST_F(WebhookSinkTest, FullQueueDropsCountsAndWarnsOnce) {
  auto sink = make({.grace = 0s, .max_queue = 2});
  for (int i = 0; i < 6; ++i) sink->publish(change("up", "idle"));
  EXPECT_EQ(sink->queued(), 2u);
  EXPECT_EQ(sink->stats().events_dropped, 4u);
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_NE(log_[0].find("dropping"), std::string::npos);
  EXPECT_EQ(http_.pending(), 1u);  // publish never waits for the receiver
}

TEST_F(WebhookSinkTest, SignsTheBodyAndNeverLogsSecretsOrTheUrlPath) {
  auto sink = make({.grace = 0s,
                    .retries = 0,
                    .secret = "s3cret-key",
                    .headers = {{"Authorization", "Bearer hidden-token"}}});
  sink->publish(change("up", "idle"));
  ASSERT_EQ(http_.requests.size(), 1u);
  const HttpClientRequest& r = http_.requests[0];
  ASSERT_EQ(r.headers.size(), 2u);
  EXPECT_EQ(r.headers[0], (HttpClientHeader{"Authorization", "Bearer hidden-token"}));
  EXPECT_EQ(r.headers[1].name, "X-Wgtrack-Signature");
  EXPECT_EQ(r.headers[1].value, webhook_signature("s3cret-key", r.body));
  http_.respond(500);
  ASSERT_FALSE(log_.empty());
  for (const auto& line : log_) {
    EXPECT_EQ(line.find("s3cret"), std::string::npos) << line;
    EXPECT_EQ(line.find("hidden-token"), std::string::npos) << line;
    EXPECT_EQ(line.find("TOKEN"), std::string::npos) << line;
    EXPECT_NE(line.find("https://hooks.example.net"), std::string::npos) << line;
  }
}

TEST_F(WebhookSinkTest, ContentFormat) {
  auto sink = make({.format = WebhookFormat::kContent, .grace = 0s});
  sink->publish(change("up", "down"));
  ASSERT_EQ(http_.requests.size(), 1u);
  EXPECT_EQ(http_.requests[0].content_type, "application/x-www-form-urlencoded");
  EXPECT_EQ(http_.requests[0].body.rfind("content=Connection+wg0%3A", 0), 0u);
}

TEST_F(WebhookSinkTest, AnswerAfterTheSinkIsGoneIsIgnored) {
  auto sink = make({.grace = 0s});
  sink->publish(change("up", "idle"));
  sink.reset();
  http_.respond(200);  // must not touch the destroyed sink
  EXPECT_EQ(http_.pending(), 0u);
}

TEST_F(WebhookSinkTest, RejectsBadUrlAndHeaders) {
  auto bad_url = WebhookSink::create(io_, http_, clock_, {.url = "ftp://x/"}, {});
  EXPECT_FALSE(bad_url.ok());
  auto bad_header = WebhookSink::create(
      io_, http_, clock_, {.url = "http://127.0.0.1/", .headers = {{"X", "a\r\nB: c"}}}, {});
  EXPECT_FALSE(bad_header.ok());
}

}  // namespace
}  // namespace wgtrack
