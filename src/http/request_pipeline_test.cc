#include "http/request_pipeline.h"

#include <crypt.h>
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>

#include "support/fake_clock.h"

namespace wgtrack::http {
namespace {

using testing::FakeClock;

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(router_
                    .add("/metrics",
                         [this](const HttpRequest& r) {
                           last_ = r.path;
                           return HttpResponse::shared(body_, "text/plain; version=0.0.4");
                         })
                    .ok());
    ASSERT_TRUE(router_
                    .add("/api/v1/peers/{key}",
                         [this](const HttpRequest& r) {
                           last_ = *r.param("key");
                           const std::string* since = r.query_param("since");
                           last_query_ = since ? *since : "";
                           last_accept_ = std::string(r.header("accept"));
                           return HttpResponse::json(200, "{}");
                         })
                    .ok());
    ASSERT_TRUE(
        router_
            .add("/boom",
                 [](const HttpRequest&) -> HttpResponse { throw std::runtime_error("bug"); })
            .ok());
    ctx_.router = &router_;
    ctx_.stats = &stats_;
  }

  Reply run(std::string_view bytes) {
    auto r = process_request_bytes(ctx_, bytes, clock_.mono_now());
    EXPECT_TRUE(r.has_value()) << bytes;
    return r ? *r : Reply{};
  }

  Router router_;
  HttpServerStats stats_;
  PipelineContext ctx_;
  FakeClock clock_;
  std::shared_ptr<const std::string> body_ = std::make_shared<const std::string>("up 1\n");
  std::string last_, last_query_, last_accept_;
};

TEST_F(PipelineTest, GetServesTheSharedBodyWithoutCopy) {
  Reply r = run("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(r.response.status, 200);
  EXPECT_FALSE(r.close);
  EXPECT_FALSE(r.head);
  const auto* shared = std::get_if<std::shared_ptr<const std::string>>(&r.response.body);
  ASSERT_NE(shared, nullptr);
  EXPECT_EQ(shared->get(), body_.get());
  EXPECT_EQ(serialize_reply(r, 11),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n"
            "Content-Length: 5\r\n\r\nup 1\n");
}

TEST_F(PipelineTest, HeadHasContentLengthButNoBody) {
  Reply r = run("HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(r.head);
  EXPECT_EQ(serialize_reply(r, 11),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n"
            "Content-Length: 5\r\n\r\n");
}

TEST_F(PipelineTest, ParamsQueryAndHeadersReachTheHandlerDecoded) {
  Reply r = run("GET /api/v1/peers/ab%2Bc%2Fd%3D?since=17 HTTP/1.1\r\nACCEPT: x/y\r\n\r\n");
  EXPECT_EQ(r.response.status, 200);
  EXPECT_EQ(r.response.content_type, "application/json");
  EXPECT_EQ(last_, "ab+c/d=");
  EXPECT_EQ(last_query_, "17");
  EXPECT_EQ(last_accept_, "x/y");
}

TEST_F(PipelineTest, UnknownPathIs404AndOtherMethodIs405WithAllow) {
  EXPECT_EQ(run("GET /nope HTTP/1.1\r\n\r\n").response.status, 404);
  Reply r = run("POST /metrics HTTP/1.1\r\nContent-Length: 2\r\n\r\nab");
  EXPECT_EQ(r.response.status, 405);
  ASSERT_EQ(r.response.headers.size(), 1u);
  EXPECT_EQ(r.response.headers[0], (std::pair<std::string, std::string>{"Allow", "GET, HEAD"}));
  EXPECT_EQ(run("BREW /metrics HTTP/1.1\r\n\r\n").response.status, 405);
}

TEST_F(PipelineTest, MalformedRequestsAre400AndClose) {
  for (const char* bad :
       {"GET /metrics HTTP/9.9\r\n\r\n", "GET\r\n\r\n", "\x01\x02 / HTTP/1.1\r\n\r\n",
        "GET http://h/metrics HTTP/1.1\r\n\r\n", "OPTIONS * HTTP/1.1\r\n\r\n",
        "GET /a%zz HTTP/1.1\r\n\r\n", "GET /metrics?x=%4 HTTP/1.1\r\n\r\n",
        "GET /metrics HTTP/1.1\r\nContent-Length: x\r\n\r\n"}) {
    Reply r = run(bad);
    EXPECT_EQ(r.response.status, 400) << bad;
    EXPECT_TRUE(r.close) << bad;
  }
}

TEST_F(PipelineTest, IncompleteRequestWaitsForMore) {
  EXPECT_FALSE(process_request_bytes(ctx_, "GET /metrics HTTP/1.1\r\nHo", {}).has_value());
  EXPECT_FALSE(process_request_bytes(ctx_, "", {}).has_value());
}

TEST_F(PipelineTest, HeaderLimitsGive431AndBodyLimit413) {
  ctx_.limits.max_header_bytes = 256;
  ctx_.limits.max_header_count = 3;
  ctx_.limits.max_body_bytes = 8;
  Reply big = run("GET /metrics HTTP/1.1\r\nX: " + std::string(300, 'a') + "\r\n\r\n");
  EXPECT_EQ(big.response.status, 431);
  EXPECT_TRUE(big.close);
  Reply many = run("GET /metrics HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n");
  EXPECT_EQ(many.response.status, 431);
  EXPECT_TRUE(many.close);
  EXPECT_EQ(run("GET /metrics HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n").response.status, 200);
  Reply body = run("GET /metrics HTTP/1.1\r\nContent-Length: 9\r\n\r\n123456789");
  EXPECT_EQ(body.response.status, 413);
  EXPECT_TRUE(body.close);
}

TEST_F(PipelineTest, KeepAliveFollowsTheRequest) {
  EXPECT_TRUE(run("GET /metrics HTTP/1.1\r\nConnection: close\r\n\r\n").close);
  EXPECT_TRUE(run("GET /metrics HTTP/1.0\r\n\r\n").close);
  Reply ka = run("GET /metrics HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_FALSE(ka.close);
  EXPECT_NE(serialize_reply(ka, 10).find("Connection: keep-alive\r\n"), std::string::npos);
}

TEST_F(PipelineTest, HandlerExceptionIs500AndCounted) {
  Reply r = run("GET /boom HTTP/1.1\r\n\r\n");
  EXPECT_EQ(r.response.status, 500);
  EXPECT_FALSE(r.close);
  EXPECT_EQ(stats_.handler_errors, 1u);
}

TEST_F(PipelineTest, AuthGuardsEveryPathButExemptOnes) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  ASSERT_NE(crypt_gensalt_rn("$5$", 0, nullptr, 0, salt, sizeof salt), nullptr);
  auto data = std::make_unique<crypt_data>();
  std::string hash = crypt_rn("pw", salt, data.get(), sizeof(crypt_data));
  ASSERT_TRUE(
      router_.add("/healthz", [](const HttpRequest&) { return HttpResponse::text(200, "ok\n"); })
          .ok());
  auto auth = BasicAuth::create({"u", hash});
  ASSERT_TRUE(auth.ok());
  ctx_.auth = &*auth;

  Reply missing = run("GET /metrics HTTP/1.1\r\n\r\n");
  EXPECT_EQ(missing.response.status, 401);
  EXPECT_FALSE(missing.close);
  ASSERT_EQ(missing.response.headers.size(), 1u);
  EXPECT_EQ(missing.response.headers[0].first, "WWW-Authenticate");
  EXPECT_EQ(missing.response.headers[0].second, "Basic realm=\"wgtrack\"");
  // base64("u:pw") = dTpwdw==, base64("u:px") = dTpweA==
  EXPECT_EQ(run("GET /metrics HTTP/1.1\r\nAuthorization: Basic dTpweA==\r\n\r\n").response.status,
            401);
  EXPECT_EQ(run("GET /metrics HTTP/1.1\r\nAuthorization: Basic %%%\r\n\r\n").response.status, 401);
  EXPECT_EQ(run("GET /metrics HTTP/1.1\r\nAuthorization: Basic dTpwdw==\r\n\r\n").response.status,
            200);
  EXPECT_EQ(run("GET /healthz HTTP/1.1\r\n\r\n").response.status, 200);
  EXPECT_EQ(stats_.auth_failures, 3u);
}

TEST_F(PipelineTest, ThrottledAuthIs429WithRetryAfter) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  ASSERT_NE(crypt_gensalt_rn("$5$", 0, nullptr, 0, salt, sizeof salt), nullptr);
  auto data = std::make_unique<crypt_data>();
  BasicAuthOptions o{"u", crypt_rn("pw", salt, data.get(), sizeof(crypt_data))};
  o.max_verifications_per_second = 1;  // burst 2
  auto auth = BasicAuth::create(o);
  ASSERT_TRUE(auth.ok());
  ctx_.auth = &*auth;
  const std::string wrong = "GET /metrics HTTP/1.1\r\nAuthorization: Basic dTpweA==\r\n\r\n";
  EXPECT_EQ(run(wrong).response.status, 401);
  EXPECT_EQ(run(wrong).response.status, 401);
  Reply r = run(wrong);
  EXPECT_EQ(r.response.status, 429);
  EXPECT_FALSE(r.close);
  ASSERT_EQ(r.response.headers.size(), 1u);
  EXPECT_EQ(r.response.headers[0], (std::pair<std::string, std::string>{"Retry-After", "1"}));
  EXPECT_EQ(stats_.auth_throttled, 1u);
  EXPECT_EQ(stats_.auth_failures, 2u);
}

}  // namespace
}  // namespace wgtrack::http
