// HttpServer over real loopback sockets, client and server on the test's one io_context.
// Deadlines are milliseconds here and every wait ends on a condition (a closed socket, a
// counter), so no test sleeps.
#include "http/http_server.h"

#include <crypt.h>
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <memory>
#include <stdexcept>
#include <thread>

#include "http/test_client.h"
#include "support/fake_clock.h"

namespace wgtrack::http {
namespace {

using namespace test;  // NOLINT: the test client
using std::chrono::milliseconds;

class HttpServerTest : public ::testing::Test {
 protected:
  static HttpServerOptions options() {
    HttpServerOptions o;
    o.listen = {"127.0.0.1:0"};
    return o;
  }

  Router router() {
    Router r;
    EXPECT_TRUE(r.add("/hello", [](const HttpRequest&) {
                   return HttpResponse::text(200, "hello\n");
                 }).ok());
    EXPECT_TRUE(r.add("/big", [this](const HttpRequest&) {
                   return HttpResponse::shared(big_, "text/plain");
                 }).ok());
    EXPECT_TRUE(r.add("/boom", [](const HttpRequest&) -> HttpResponse {
                   throw std::runtime_error("bug in a handler");
                 }).ok());
    // Answered later by the test (pending_), or never (/never: dropped).
    EXPECT_TRUE(r.add("/later", [this](const HttpRequest&) {
                   return HttpResponse::later(
                       [this](HttpResponse::Completion done) { pending_ = std::move(done); });
                 }).ok());
    EXPECT_TRUE(r.add("/never", [](const HttpRequest&) {
                   return HttpResponse::later([](HttpResponse::Completion) {});
                 }).ok());
    EXPECT_TRUE(
        r.add("/healthz", [](const HttpRequest&) { return HttpResponse::text(200, "ok\n"); }).ok());
    return r;
  }

  void start(HttpServerOptions o) {
    server_ = std::make_unique<HttpServer>(io_, std::move(o), router(), clock_);
    auto r = server_->start();
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_FALSE(server_->local_endpoints().empty());
    ep_ = server_->local_endpoints()[0];
    ASSERT_NE(ep_.port(), 0);
  }

  // Sends `requests` one after another on one connection; the responses, then whether the
  // server closed the connection afterwards.
  struct Session {
    std::vector<ClientResponse> responses;
    bool closed_after = false;
  };
  Session session(std::vector<std::string> requests, Endpoint ep, bool head_last = false) {
    return run(io_, [&]() -> asio::awaitable<Session> {
      Session out;
      beast::tcp_stream stream(co_await connect(ep));
      beast::flat_buffer buffer;
      for (std::size_t i = 0; i < requests.size(); ++i) {
        bool head = head_last && i + 1 == requests.size();
        out.responses.push_back(co_await exchange(stream, buffer, requests[i], head));
        if (out.responses.back().ec) break;
      }
      if (!out.responses.back().ec && !out.responses.back().message.keep_alive()) {
        beast::error_code ec = co_await wait_closed(stream.socket());
        out.closed_after = ec == asio::error::eof || ec == asio::error::connection_reset;
      }
      co_return out;
    }());
  }
  Session session(std::vector<std::string> requests, bool head_last = false) {
    return session(std::move(requests), ep_, head_last);
  }

  // Opens a connection, sends `bytes` (maybe nothing) and waits until the server closes it.
  beast::error_code send_and_wait_closed(std::string bytes) {
    return run(io_, [&]() -> asio::awaitable<beast::error_code> {
      auto socket = co_await connect(ep_);
      if (!bytes.empty()) co_await asio::async_write(socket, asio::buffer(bytes), kTuple);
      co_return co_await wait_closed(socket);
    }());
  }

  asio::io_context io_;
  testing::FakeClock clock_;
  std::shared_ptr<const std::string> big_ =
      std::make_shared<const std::string>(std::string(1 << 20, 'x'));
  std::unique_ptr<HttpServer> server_;
  Endpoint ep_;
  HttpResponse::Completion pending_;
};

TEST_F(HttpServerTest, KeepAliveConnectionServesGetHead404And405) {
  start(options());
  auto s = session({get("/hello"), get("/nope"),
                    "POST /hello HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc",
                    "HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n"},
                   /*head_last=*/true);
  ASSERT_EQ(s.responses.size(), 4u);
  for (const auto& r : s.responses) ASSERT_FALSE(r.ec) << r.ec.message();
  EXPECT_EQ(s.responses[0].status(), 200);
  EXPECT_EQ(s.responses[0].message.body(), "hello\n");
  EXPECT_EQ(s.responses[0].header("Content-Length"), "6");
  EXPECT_EQ(s.responses[1].status(), 404);
  EXPECT_EQ(s.responses[2].status(), 405);
  EXPECT_EQ(s.responses[2].header("Allow"), "GET, HEAD");
  EXPECT_EQ(s.responses[3].status(), 200);
  EXPECT_EQ(s.responses[3].header("Content-Length"), "6");
  EXPECT_EQ(s.responses[3].message.body(), "");
  const auto& st = server_->stats();
  EXPECT_EQ(st.connections_accepted, 1u);  // all four on one connection
  EXPECT_EQ(st.responses_by_class[1], 2u);
  EXPECT_EQ(st.responses_by_class[3], 2u);
  EXPECT_GT(st.bytes_sent, 0u);
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured) {
  start(options());
  auto s = session({get("/hello", "Connection: close\r\n")});
  ASSERT_EQ(s.responses.size(), 1u);
  EXPECT_EQ(s.responses[0].status(), 200);
  EXPECT_TRUE(s.closed_after);
}

TEST_F(HttpServerTest, OneMegabyteSharedBodyArrivesWhole) {
  start(options());
  auto s = session({get("/big"), get("/big")});
  ASSERT_EQ(s.responses.size(), 2u);
  EXPECT_EQ(s.responses[1].message.body(), *big_);
  EXPECT_GT(server_->stats().bytes_sent, 2u * big_->size());
}

TEST_F(HttpServerTest, MalformedRequestGets400AndIsClosed) {
  start(options());
  auto s = session({"GET /hello HTTP/1.1\r\nbad header line\r\n\r\n"});
  ASSERT_EQ(s.responses.size(), 1u);
  EXPECT_EQ(s.responses[0].status(), 400);
  EXPECT_TRUE(s.closed_after);
}

TEST_F(HttpServerTest, OversizedHeaderAndTooManyHeadersGet431AndClose) {
  auto o = options();
  o.limits.max_header_bytes = 1024;
  o.limits.max_header_count = 8;
  start(o);
  auto big = session({get("/hello", "X-Big: " + std::string(2000, 'a') + "\r\n")});
  EXPECT_EQ(big.responses.at(0).status(), 431);
  EXPECT_TRUE(big.closed_after);
  std::string many;
  for (int i = 0; i < 9; ++i) many += "X-" + std::to_string(i) + ": v\r\n";
  auto lots = session({get("/hello", many)});  // Host + 9 = 10 fields
  EXPECT_EQ(lots.responses.at(0).status(), 431);
  EXPECT_TRUE(lots.closed_after);
}

TEST_F(HttpServerTest, HandlerExceptionIs500AndTheServerGoesOn) {
  start(options());
  auto s = session({get("/boom"), get("/hello")});
  ASSERT_EQ(s.responses.size(), 2u);
  EXPECT_EQ(s.responses[0].status(), 500);
  EXPECT_EQ(s.responses[1].status(), 200);
  EXPECT_EQ(server_->stats().handler_errors, 1u);
}

TEST_F(HttpServerTest, DeferredResponseWaitsOffTheLoopAndArrivesFromAnotherThread) {
  start(options());
  std::optional<ClientResponse> later;
  asio::co_spawn(
      io_,
      [&]() -> asio::awaitable<void> {
        beast::tcp_stream stream(co_await connect(ep_));
        beast::flat_buffer buffer;
        later = co_await exchange(stream, buffer, get("/later"));
      },
      asio::detached);
  ASSERT_TRUE(run_until(io_, [&] { return static_cast<bool>(pending_); }));
  // While that client waits, the loop serves another one.
  EXPECT_EQ(session({get("/hello")}).responses.at(0).status(), 200);
  EXPECT_FALSE(later.has_value());
  // A worker thread hands the response over through the loop, as the contract says.
  std::thread worker([this] {
    asio::post(io_, [this] { pending_(HttpResponse::text(200, "late\n")); });
  });
  worker.join();
  ASSERT_TRUE(run_until(io_, [&] { return later.has_value(); }));
  ASSERT_FALSE(later->ec) << later->ec.message();
  EXPECT_EQ(later->status(), 200);
  EXPECT_EQ(later->message.body(), "late\n");
  EXPECT_EQ(server_->stats().handler_errors, 0u);
}

TEST_F(HttpServerTest, DeferredResponseNeverAnsweredIs503AfterTheRequestTimeout) {
  auto o = options();
  o.limits.request_timeout = milliseconds(100);
  start(o);
  auto s = session({get("/never"), get("/hello")});
  ASSERT_EQ(s.responses.size(), 2u);
  EXPECT_EQ(s.responses[0].status(), 503);
  EXPECT_EQ(s.responses[0].header("Retry-After"), "1");
  EXPECT_EQ(s.responses[1].status(), 200);  // the connection goes on
  EXPECT_EQ(server_->stats().handler_errors, 1u);
}

TEST_F(HttpServerTest, SlowlorisIsDroppedAfterTheRequestDeadline) {
  auto o = options();
  o.limits.request_timeout = milliseconds(150);
  o.limits.idle_timeout = milliseconds(10'000);
  start(o);
  auto t0 = std::chrono::steady_clock::now();
  beast::error_code ec = send_and_wait_closed("GET /hello HTTP/1.1\r\nHost: t\r\nX-A: b");
  auto elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
  EXPECT_GE(elapsed, milliseconds(150));  // closed by the deadline, not by anything sooner
  EXPECT_EQ(server_->stats().timeouts, 1u);
  EXPECT_EQ(server_->stats().idle_closes, 0u);
  EXPECT_TRUE(run_until(io_, [&] { return server_->stats().connections_active == 0; }));
}

TEST_F(HttpServerTest, IdleConnectionIsClosedAfterIdleTimeout) {
  auto o = options();
  o.limits.idle_timeout = milliseconds(100);
  start(o);
  beast::error_code ec = send_and_wait_closed("");
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
  EXPECT_EQ(server_->stats().idle_closes, 1u);
  EXPECT_EQ(server_->stats().timeouts, 0u);
}

TEST_F(HttpServerTest, ConnectionsBeyondTheLimitAreClosedAtOnce) {
  auto o = options();
  o.limits.max_connections = 2;
  start(o);
  tcp::socket a(io_), b(io_), c(io_);
  a.connect(to_asio(ep_));
  b.connect(to_asio(ep_));
  ASSERT_TRUE(run_until(io_, [&] { return server_->stats().connections_active == 2; }));
  c.connect(to_asio(ep_));
  beast::error_code ec = run(io_, wait_closed(c));
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
  EXPECT_EQ(server_->stats().connections_rejected, 1u);
  // The two admitted connections still work; when one goes, a new one is admitted.
  auto r = run(io_, [&]() -> asio::awaitable<ClientResponse> {
    beast::tcp_stream stream(std::move(a));
    beast::flat_buffer buffer;
    co_return co_await exchange(stream, buffer, get("/hello", "Connection: close\r\n"));
  }());
  EXPECT_EQ(r.status(), 200);
  ASSERT_TRUE(run_until(io_, [&] { return server_->stats().connections_active == 1; }));
  EXPECT_EQ(session({get("/hello")}).responses.at(0).status(), 200);
  EXPECT_EQ(server_->stats().connections_rejected, 1u);
}

TEST_F(HttpServerTest, StopClosesListenersAndOpenConnections) {
  start(options());
  tcp::socket a(io_);
  a.connect(to_asio(ep_));
  ASSERT_TRUE(run_until(io_, [&] { return server_->stats().connections_active == 1; }));
  server_->stop();
  beast::error_code ec = run(io_, wait_closed(a));
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
  EXPECT_TRUE(run_until(io_, [&] { return server_->stats().connections_active == 0; }));
  tcp::socket b(io_);
  beast::error_code connect_ec;
  b.connect(to_asio(ep_), connect_ec);
  EXPECT_EQ(connect_ec, asio::error::connection_refused);
}

TEST_F(HttpServerTest, TwoListenersIncludingIPv6Loopback) {
  {  // the host may have IPv6 disabled
    tcp::acceptor probe(io_);
    beast::error_code ec;
    probe.open(tcp::v6(), ec);
    if (!ec) probe.bind(tcp::endpoint(asio::ip::make_address("::1"), 0), ec);
    if (ec) GTEST_SKIP() << "no IPv6 loopback: " << ec.message();
  }
  auto o = options();
  o.listen = {"127.0.0.1:0", "[::1]:0"};
  start(o);
  auto eps = server_->local_endpoints();
  ASSERT_EQ(eps.size(), 2u);
  EXPECT_EQ(eps[0].family(), IpFamily::kIPv4);
  EXPECT_EQ(eps[1].family(), IpFamily::kIPv6);
  EXPECT_EQ(eps[1].to_string(), "[::1]:" + std::to_string(eps[1].port()));
  EXPECT_EQ(session({get("/hello")}, eps[0]).responses.at(0).status(), 200);
  EXPECT_EQ(session({get("/hello")}, eps[1]).responses.at(0).status(), 200);
  EXPECT_EQ(server_->stats().connections_accepted, 2u);
}

TEST_F(HttpServerTest, StartRejectsBadOptionsAndBindsNothingOnFailure) {
  auto bad_name = options();
  bad_name.listen = {"localhost:9586"};
  HttpServer s1(io_, bad_name, router(), clock_);
  auto r1 = s1.start();
  ASSERT_FALSE(r1.ok());
  EXPECT_EQ(r1.error().code, ErrorCode::kInvalidInput);

  start(options());  // occupies ep_
  auto clash = options();
  clash.listen = {"127.0.0.1:0", ep_.to_string()};
  HttpServer s2(io_, clash, router(), clock_);
  auto r = s2.start();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find(ep_.to_string()), std::string::npos) << r.error().message;
  EXPECT_TRUE(s2.local_endpoints().empty());

  auto bad_hash = options();
  bad_hash.auth = BasicAuthOptions{"u", "plain-password"};
  HttpServer s3(io_, bad_hash, router(), clock_);
  auto r3 = s3.start();
  ASSERT_FALSE(r3.ok());
  EXPECT_EQ(r3.error().code, ErrorCode::kInvalidInput);

  auto missing_cert = options();
  missing_cert.tls = TlsOptions{"/nonexistent/cert.pem", "/nonexistent/key.pem"};
  HttpServer s4(io_, missing_cert, router(), clock_);
  auto r4 = s4.start();
  ASSERT_FALSE(r4.ok());
  EXPECT_NE(r4.error().message.find("/nonexistent/cert.pem"), std::string::npos);
}

class HttpServerAuthTest : public HttpServerTest {
 protected:
  void SetUp() override {
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    ASSERT_NE(crypt_gensalt_rn("$y$", 0, nullptr, 0, salt, sizeof salt), nullptr);
    auto data = std::make_unique<crypt_data>();
    auto o = options();
    o.auth = BasicAuthOptions{"prom", crypt_rn("pa:ss", salt, data.get(), sizeof(crypt_data))};
    start(o);
  }
  // base64("prom:pa:ss") -- the password may contain ':' (RFC 7617: split at the first one).
  static constexpr const char* kGood = "Authorization: Basic cHJvbTpwYTpzcw==\r\n";
};

TEST_F(HttpServerAuthTest, MissingWrongAndMalformedCredentialsGet401) {
  auto s = session({get("/hello"), get("/hello", "Authorization: Basic cHJvbTpwYXNz\r\n"),
                    get("/hello", "Authorization: Basic ***\r\n"),
                    get("/hello", "Authorization: Digest x\r\n")});
  ASSERT_EQ(s.responses.size(), 4u);
  for (const auto& r : s.responses) {
    EXPECT_EQ(r.status(), 401);
    EXPECT_EQ(r.header("WWW-Authenticate"), "Basic realm=\"wgtrack\"");
  }
  EXPECT_EQ(server_->stats().auth_failures, 4u);
}

TEST_F(HttpServerAuthTest, GoodCredentialsPassAndRepeatScrapesHitTheCache) {
  auto s = session({get("/hello", kGood), get("/hello", kGood), get("/hello", kGood)});
  ASSERT_EQ(s.responses.size(), 3u);
  for (const auto& r : s.responses) EXPECT_EQ(r.status(), 200);
  EXPECT_EQ(server_->auth_verifications(), 1u);
  EXPECT_EQ(server_->auth_cache_hits(), 2u);
  clock_.advance(std::chrono::minutes(6));  // past the default cache ttl
  EXPECT_EQ(session({get("/hello", kGood)}).responses.at(0).status(), 200);
  EXPECT_EQ(server_->auth_verifications(), 2u);
}

TEST_F(HttpServerAuthTest, HealthzIsExemptByDefault) {
  EXPECT_EQ(session({get("/healthz")}).responses.at(0).status(), 200);
  EXPECT_EQ(server_->stats().auth_failures, 0u);
}

}  // namespace
}  // namespace wgtrack::http
