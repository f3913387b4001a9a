// InfluxHttpSink on a fake clock and FakeHttpClient: the request, batching across cycles,
// retries, rejects, the bounded buffer, and no credentials in logs.
#include "sinks/influx/influx_http_sink.h"

#include <gtest/gtest.h>

#include "support/fake_clock.h"
#include "support/fake_http_client.h"
#include "support/sample_snapshot.h"

namespace wgtrack {
namespace {

using namespace std::chrono_literals;

class InfluxHttpSinkTest : public ::testing::Test {
 protected:
  std::unique_ptr<InfluxHttpSink> make(InfluxHttpOptions o) {
    auto s = InfluxHttpSink::create(
        io_, http_, clock_, std::move(o),
        [this](SinkLogLevel, std::string_view m) { log_.emplace_back(m); }, [] { return 0.0; });
    EXPECT_TRUE(s.ok()) << s.error().message;
    return std::move(*s);
  }
  static InfluxHttpOptions v1() {
    InfluxHttpOptions o;
    o.database = "wg";
    o.backoff = {1s, 8s};
    return o;
  }

  boost::asio::io_context io_;
  testing::FakeClock clock_;
  testing::FakeHttpClient http_;
  std::vector<std::string> log_;
  const Snapshot snapshot_ = testing::sample_snapshot();
};

TEST_F(InfluxHttpSinkTest, WritesTheCycleAsOneRequestInSeconds) {
  auto sink = make(v1());
  sink->publish(snapshot_);
  ASSERT_EQ(http_.requests.size(), 1u);
  const HttpClientRequest& r = http_.requests[0];
  EXPECT_EQ(r.url, "http://127.0.0.1:8086/write?db=wg&precision=s");
  EXPECT_EQ(r.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(r.body, influx_retime(render_influx(snapshot_), InfluxPrecision::kSeconds));
  EXPECT_NE(r.body.find(" 1763771123\n"), std::string::npos);
  EXPECT_EQ(std::count(r.body.begin(), r.body.end(), '\n'), 5);
  http_.respond(204);
  EXPECT_EQ(sink->stats().lines_written, 5u);
  EXPECT_EQ(sink->stats().buffered_lines, 0u);
}

TEST_F(InfluxHttpSinkTest, ServerErrorKeepsTheBatchAndRetriesThenSendsTheNextCycle) {
  auto sink = make(v1());
  sink->publish(snapshot_);
  http_.respond(500, R"({"error":"engine busy"})");
  EXPECT_TRUE(sink->stats().degraded);
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_NE(log_[0].find("HTTP 500: {\"error\":\"engine busy\"}"), std::string::npos) << log_[0];
  sink->publish(snapshot_);  // the next cycle waits behind the failed batch
  EXPECT_EQ(http_.pending(), 0u);
  clock_.advance(500ms);  // jitter 0: half of the nominal 1 s
  sink->poll();
  ASSERT_EQ(http_.pending(), 1u);
  EXPECT_EQ(http_.requests[1].body, http_.requests[0].body);
  http_.respond(204);
  ASSERT_EQ(http_.pending(), 1u);  // the second cycle goes at once
  http_.respond(204);
  EXPECT_EQ(sink->stats().lines_written, 10u);
  EXPECT_EQ(sink->stats().requests_failed, 1u);
  EXPECT_FALSE(sink->stats().degraded);
}

TEST_F(InfluxHttpSinkTest, BadDataIsDroppedNotRetried) {
  auto sink = make(v1());
  sink->publish(snapshot_);
  http_.respond(400, R"({"error":"partial write: field type conflict"})");
  clock_.advance(10min);
  sink->poll();
  EXPECT_EQ(http_.requests.size(), 1u);
  EXPECT_EQ(sink->stats().lines_rejected, 5u);
}

TEST_F(InfluxHttpSinkTest, ServerAwayFillsTheBufferAndDropsTheOldest) {
  auto o = v1();
  o.max_buffer_lines = 12;
  auto sink = make(o);
  sink->publish(snapshot_);
  http_.fail(ErrorCode::kTransient, "127.0.0.1:8086: connecting: Connection refused");
  for (int i = 0; i < 3; ++i) sink->publish(snapshot_);  // 5 in the batch + 15 > 12
  EXPECT_EQ(sink->stats().lines_dropped, 8u);
  EXPECT_EQ(sink->stats().buffered_lines, 12u);
  EXPECT_EQ(log_.size(), 2u);  // the failure, then the overflow: each once
  for (int i = 0; i < 3; ++i) sink->publish(snapshot_);
  EXPECT_EQ(log_.size(), 2u);
}

TEST_F(InfluxHttpSinkTest, V2TokenIsSentButNeverLogged) {
  InfluxHttpOptions o;
  o.api = InfluxApi::kV2;
  o.org = "ops";
  o.bucket = "wg";
  o.token = "very-secret-token";
  auto sink = make(o);
  sink->publish(snapshot_);
  ASSERT_EQ(http_.requests.size(), 1u);
  EXPECT_EQ(http_.requests[0].url,
            "http://127.0.0.1:8086/api/v2/write?org=ops&bucket=wg&precision=s");
  EXPECT_EQ(http_.requests[0].headers,
            (std::vector<HttpClientHeader>{{"Authorization", "Token very-secret-token"}}));
  http_.respond(401, R"({"code":"unauthorized"})");
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_EQ(log_[0].find("very-secret-token"), std::string::npos);
  clock_.advance(1s);
  sink->poll();
  EXPECT_EQ(http_.pending(), 1u);  // 401 is retried: the operator may fix the token
}

TEST_F(InfluxHttpSinkTest, CreateRejectsIncompleteOptions) {
  InfluxHttpOptions o;  // v1 without database
  EXPECT_FALSE(InfluxHttpSink::create(io_, http_, clock_, o, {}).ok());
}

}  // namespace
}  // namespace wgtrack
