// InfluxHttpSink with the real BeastHttpClient against a test receiver on 127.0.0.1: the v2
// request shape (no InfluxDB 2 here; InfluxDB 1.6 is tested for real in
// tests/integration/influx_http.sh) and a 500-then-204 retry over a socket.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "http_client/beast_http_client.h"
#include "http_client/testing/test_http_receiver.h"
#include "sinks/influx/influx_http_sink.h"
#include "support/fake_clock.h"
#include "support/sample_snapshot.h"
#include "sys/system_clock.h"

namespace wgtrack {
namespace {

using namespace std::chrono_literals;
using testing::run_until;
using testing::TestHttpReceiver;

TEST(InfluxHttpReceiver, V2RequestShape) {
  boost::asio::io_context io;
  TestHttpReceiver receiver(io);
  receiver.set_fallback(TestHttpReceiver::status(204));
  BeastHttpClient client(io, nullptr);
  SystemClock clock;
  InfluxHttpOptions o;
  o.url = receiver.url("/");
  o.api = InfluxApi::kV2;
  o.org = "my org";
  o.bucket = "wgtrack";
  o.token = "s3cr3t==";
  auto sink = InfluxHttpSink::create(io, client, clock, o, {});
  ASSERT_TRUE(sink.ok()) << sink.error().message;
  (*sink)->publish(testing::sample_snapshot());
  ASSERT_TRUE(run_until(io, [&] { return (*sink)->stats().lines_written == 5; }));
  ASSERT_EQ(receiver.received().size(), 1u);
  const auto& got = receiver.received()[0];
  EXPECT_EQ(got.method, "POST");
  EXPECT_EQ(got.target, "/api/v2/write?org=my%20org&bucket=wgtrack&precision=s");
  EXPECT_EQ(got.header("authorization"), "Token s3cr3t==");
  EXPECT_EQ(got.header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(got.body.rfind("wgtrack,interface=wg0,peer=", 0), 0u) << got.body;
  EXPECT_NE(got.body.find("transfer_tx=123456789012i"), std::string::npos);
  EXPECT_NE(got.body.find(" 1763771123\n"), std::string::npos);
}

TEST(InfluxHttpReceiver, ServerErrorThenSuccessOverASocket) {
  boost::asio::io_context io;
  TestHttpReceiver receiver(io);
  receiver.script({TestHttpReceiver::status(500)});
  receiver.set_fallback(TestHttpReceiver::status(204));
  BeastHttpClient client(io, nullptr);
  SystemClock clock;
  InfluxHttpOptions o;
  o.url = receiver.url("/");
  o.database = "wg";
  o.backoff = {20ms, 100ms};
  auto sink = InfluxHttpSink::create(io, client, clock, o, {});
  ASSERT_TRUE(sink.ok());
  (*sink)->publish(testing::sample_snapshot());
  ASSERT_TRUE(run_until(io, [&] { return (*sink)->stats().lines_written == 5; }));
  ASSERT_EQ(receiver.received().size(), 2u);
  EXPECT_EQ(receiver.received()[1].target, "/write?db=wg&precision=s");
  EXPECT_EQ(receiver.received()[1].body, receiver.received()[0].body);
  EXPECT_EQ((*sink)->stats().requests_failed, 1u);
}

}  // namespace
}  // namespace wgtrack
