// TLS: a self-signed certificate made with the openssl CLI at test time, a verifying Beast
// client on the test's loop.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <filesystem>

#include "http/http_server.h"
#include "http/test_client.h"
#include "support/fake_clock.h"

namespace wgtrack::http {
namespace {

using namespace test;  // NOLINT: the test client
namespace ssl = asio::ssl;
namespace fs = std::filesystem;

class HttpServerTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/wgtrack-http-tls-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    std::string cmd =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
        "-days 1 -subj /CN=localhost -addext subjectAltName=DNS:localhost "
        "-keyout " +
        (dir_ / "key.pem").string() + " -out " + (dir_ / "cert.pem").string() + " 2>/dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  void SetUp() override {
    Router r;
    ASSERT_TRUE(r.add("/hello", [](const HttpRequest&) {
                   return HttpResponse::text(200, "hello over tls\n");
                 }).ok());
    HttpServerOptions o;
    o.listen = {"127.0.0.1:0"};
    o.tls = TlsOptions{(dir_ / "cert.pem").string(), (dir_ / "key.pem").string()};
    o.limits.request_timeout = std::chrono::milliseconds(2000);
    server_ = std::make_unique<HttpServer>(io_, o, std::move(r), clock_);
    auto started = server_->start();
    ASSERT_TRUE(started.ok()) << started.error().message;
    ep_ = server_->local_endpoints().at(0);
    client_ctx_.load_verify_file((dir_ / "cert.pem").string());
    client_ctx_.set_verify_mode(ssl::verify_peer);
    client_ctx_.set_verify_callback(ssl::host_name_verification("localhost"));
  }

  static inline fs::path dir_;
  asio::io_context io_;
  testing::FakeClock clock_;
  ssl::context client_ctx_{ssl::context::tls_client};
  std::unique_ptr<HttpServer> server_;
  Endpoint ep_;
};

TEST_F(HttpServerTlsTest, HandshakeThenKeepAliveRequests) {
  auto responses = run(io_, [&]() -> asio::awaitable<std::vector<ClientResponse>> {
    beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(co_await connect(ep_)),
                                                client_ctx_);
    SSL_set_tlsext_host_name(stream.native_handle(), "localhost");
    co_await stream.async_handshake(ssl::stream_base::client, asio::use_awaitable);
    beast::flat_buffer buffer;
    std::vector<ClientResponse> out;
    out.push_back(co_await exchange(stream, buffer, get("/hello")));
    out.push_back(co_await exchange(stream, buffer, get("/nope")));
    co_return out;
  }());
  ASSERT_EQ(responses.size(), 2u);
  ASSERT_FALSE(responses[0].ec) << responses[0].ec.message();
  EXPECT_EQ(responses[0].status(), 200);
  EXPECT_EQ(responses[0].message.body(), "hello over tls\n");
  EXPECT_EQ(responses[1].status(), 404);
  EXPECT_EQ(server_->stats().connections_accepted, 1u);
}

TEST_F(HttpServerTlsTest, PlainHttpToTheTlsPortFailsTheHandshakeAndIsClosed) {
  auto ec = run(io_, [&]() -> asio::awaitable<beast::error_code> {
    auto socket = co_await connect(ep_);
    std::string req = get("/hello");
    co_await asio::async_write(socket, asio::buffer(req), kTuple);
    co_return co_await wait_closed(socket);
  }());
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
  EXPECT_TRUE(run_until(io_, [&] { return server_->stats().tls_handshake_failures == 1; }));
  EXPECT_EQ(server_->stats().responses_by_class[1], 0u);
}

}  // namespace
}  // namespace wgtrack::http
