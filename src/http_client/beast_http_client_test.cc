// BeastHttpClient against a real HTTP receiver on 127.0.0.1 (http_client/testing): statuses,
// refused, hung and dropped connections, name resolution through the Resolver seam, the lazy
// TLS context and the no-callback-after-destruction rule. Only loopback sockets.
#include "http_client/beast_http_client.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <optional>

#include "http_client/testing/test_http_receiver.h"
#include "support/fake_resolver.h"

namespace wgtrack {
namespace {

using namespace std::chrono_literals;
using testing::run_until;
using testing::TestHttpReceiver;

class BeastHttpClientTest : public ::testing::Test {
 protected:
  // Posts and runs the loop until the callback ran; the callback must not run inside post().
  Result<HttpClientResponse> post(HttpClient& client, HttpClientRequest req) {
    std::optional<Result<HttpClientResponse>> result;
    client.post(std::move(req),
                [&](Result<HttpClientResponse> r) { result.emplace(std::move(r)); });
    EXPECT_FALSE(result.has_value()) << "callback ran inside post()";
    EXPECT_TRUE(run_until(io_, [&] { return result.has_value(); }));
    if (!result) return Error(ErrorCode::kProtocol, "no answer");
    return std::move(*result);
  }

  boost::asio::io_context io_;
  TestHttpReceiver receiver_{io_};
  BeastHttpClient client_{io_, nullptr};
};

TEST_F(BeastHttpClientTest, PostsBodyAndHeadersAndReturnsTheStatus) {
  receiver_.script({{TestHttpReceiver::Behavior::kAnswer, 204, ""}});
  HttpClientRequest req;
  req.url = receiver_.url("/hook?x=1");
  req.content_type = "application/json";
  req.headers = {{"X-Test", "yes"}};
  req.body = R"({"event":"status_change"})";
  auto r = post(client_, req);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 204u);
  ASSERT_EQ(receiver_.received().size(), 1u);
  const auto& got = receiver_.received()[0];
  EXPECT_EQ(got.method, "POST");
  EXPECT_EQ(got.target, "/hook?x=1");
  EXPECT_EQ(got.body, req.body);
  EXPECT_EQ(got.header("content-type"), "application/json");
  EXPECT_EQ(got.header("x-test"), "yes");
  EXPECT_EQ(got.header("content-length"), std::to_string(req.body.size()));
  EXPECT_EQ(got.header("host"), "127.0.0.1:" + std::to_string(receiver_.port()));
  EXPECT_EQ(got.header("user-agent"), "wgtrack");
  EXPECT_FALSE(client_.tls_context_created());  // http only: no SSL context, no CA store
  EXPECT_EQ(client_.in_flight(), 0u);
}

TEST_F(BeastHttpClientTest, ServerErrorIsAResponseNotAnError) {
  receiver_.script({{TestHttpReceiver::Behavior::kAnswer, 500, "oops"}});
  auto r = post(client_, {.url = receiver_.url(), .body = "x"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 500u);
  EXPECT_EQ(r->body, "oops");
  EXPECT_TRUE(is_retryable_status(500));
  EXPECT_FALSE(is_retryable_status(400));
  EXPECT_FALSE(is_retryable_status(501));
  EXPECT_TRUE(is_retryable_status(429));
}

TEST_F(BeastHttpClientTest, ConnectionRefusedIsTransient) {
  const auto port = testing::closed_loopback_port(io_);
  auto r = post(client_, {.url = "http://127.0.0.1:" + std::to_string(port) + "/", .body = "x"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kTransient);
  EXPECT_NE(r.error().message.find("connecting"), std::string::npos) << r.error().message;
}

TEST_F(BeastHttpClientTest, ServerThatNeverAnswersTimesOut) {
  receiver_.script({TestHttpReceiver::hang()});
  const auto start = std::chrono::steady_clock::now();
  auto r = post(client_, {.url = receiver_.url(), .body = "x", .timeout = 200ms});
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kTimeout);
  EXPECT_GE(took, 190ms);
  EXPECT_LT(took, 2s);
  EXPECT_EQ(receiver_.received().size(), 1u);
}

TEST_F(BeastHttpClientTest, ConnectionClosedWithoutResponseIsAnError) {
  receiver_.script({TestHttpReceiver::close()});
  auto r = post(client_, {.url = receiver_.url(), .body = "x"});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(is_retryable_error(r.error())) << r.error().message;
}

TEST_F(BeastHttpClientTest, OversizedResponseBodyIsAProtocolError) {
  BeastHttpClient small(io_, nullptr, {.max_response_body = 16});
  receiver_.script({{TestHttpReceiver::Behavior::kAnswer, 200, std::string(100, 'x')}});
  auto r = post(small, {.url = receiver_.url(), .body = "x"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kProtocol);
}

TEST_F(BeastHttpClientTest, BadInputFailsLaterWithoutSendingAnything) {
  for (HttpClientRequest req :
       {HttpClientRequest{.url = "ftp://127.0.0.1/"},
        HttpClientRequest{.url = receiver_.url(), .headers = {{"X-A", "1\r\nX-B: 2"}}},
        HttpClientRequest{.url = receiver_.url(), .headers = {{"Bad:Name", "1"}}},
        HttpClientRequest{.url = "http://needs-dns.example/"}}) {
    auto r = post(client_, req);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput) << r.error().message;
  }
  EXPECT_TRUE(receiver_.received().empty());
}

TEST_F(BeastHttpClientTest, HostNamesGoThroughTheResolver) {
  testing::FakeResolver dns;
  dns.set_answer("hooks.test", testing::FakeResolver::answer({{"127.0.0.1", 60}}));
  BeastHttpClient client(io_, &dns);
  std::optional<Result<HttpClientResponse>> result;
  client.post({.url = "http://hooks.test:" + std::to_string(receiver_.port()) + "/a", .body = "x"},
              [&](Result<HttpClientResponse> r) { result.emplace(std::move(r)); });
  EXPECT_EQ(dns.calls, (std::vector<std::string>{"hooks.test"}));
  dns.deliver();
  ASSERT_TRUE(run_until(io_, [&] { return result.has_value(); }));
  ASSERT_TRUE(result->ok()) << result->error().message;
  EXPECT_EQ(receiver_.received().at(0).header("host"),
            "hooks.test:" + std::to_string(receiver_.port()));

  dns.set_answer("gone.test", testing::FakeResolver::not_found("gone.test"));
  result.reset();
  client.post({.url = "http://gone.test/"},
              [&](Result<HttpClientResponse> r) { result.emplace(r); });
  dns.deliver();
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->error().code, ErrorCode::kPermanent);
}

TEST_F(BeastHttpClientTest, HttpsCreatesTheTlsContextLazilyAndFailsAgainstPlainHttp) {
  EXPECT_FALSE(client_.tls_context_created());
  std::string https = receiver_.url("/");
  https.replace(0, 4, "https");
  auto r = post(client_, {.url = https, .body = "x", .timeout = 2s});
  EXPECT_TRUE(client_.tls_context_created());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kProtocol) << r.error().message;
  EXPECT_NE(r.error().message.find("TLS"), std::string::npos) << r.error().message;
}

TEST_F(BeastHttpClientTest, NoCallbackAfterTheClientIsDestroyed) {
  receiver_.script({TestHttpReceiver::hang()});
  bool called = false;
  {
    BeastHttpClient client(io_, nullptr);
    client.post({.url = receiver_.url(), .body = "x", .timeout = 5s},
                [&](Result<HttpClientResponse>) { called = true; });
    ASSERT_TRUE(run_until(io_, [&] { return receiver_.received().size() == 1; }));
    EXPECT_EQ(client.in_flight(), 1u);
  }
  io_.restart();
  io_.run_for(100ms);  // lets the aborted coroutine finish
  EXPECT_FALSE(called);
}

}  // namespace
}  // namespace wgtrack
