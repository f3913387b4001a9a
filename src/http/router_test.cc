#include "http/router.h"

#include <gtest/gtest.h>

namespace wgtrack::http {
namespace {

HttpHandler named(std::string name) {
  return [name](const HttpRequest&) { return HttpResponse::text(200, name); };
}

// Which route answered `path` ("" for none), through the handler so the Match is exercised.
std::string route_of(const Router& router, std::string_view path) {
  auto m = router.match(path);
  if (!m) return "";
  HttpRequest req;
  return std::string((*m->handler)(req).body_view());
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(router_.add("/metrics", named("metrics")).ok());
    ASSERT_TRUE(router_.add("/", named("root")).ok());
    ASSERT_TRUE(router_.add("/api/v1/peers/{key}", named("peer")).ok());
    ASSERT_TRUE(router_.add("/api/v1/interfaces/{name}/peers", named("if-peers")).ok());
    ASSERT_TRUE(router_.add("/static/{file*}", named("static")).ok());
  }
  Router router_;
};

TEST_F(RouterTest, ExactPathsMatchExactly) {
  EXPECT_EQ(route_of(router_, "/metrics"), "metrics");
  EXPECT_EQ(route_of(router_, "/"), "root");
  EXPECT_EQ(route_of(router_, "/metrics/"), "");
  EXPECT_EQ(route_of(router_, "/metricsx"), "");
  EXPECT_EQ(route_of(router_, "/met%72ics"), "metrics");  // %72 = 'r': same resource
}

TEST_F(RouterTest, ParamIsOneDecodedSegmentSoEncodedSlashStaysInside) {
  auto m = router_.match("/api/v1/peers/ab%2Bc%2Fd%3D");
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->params.size(), 1u);
  EXPECT_EQ(m->params[0].first, "key");
  EXPECT_EQ(m->params[0].second, "ab+c/d=");
  // An unencoded '/' makes two segments: not this route.
  EXPECT_EQ(route_of(router_, "/api/v1/peers/ab/cd="), "");
  EXPECT_EQ(route_of(router_, "/api/v1/peers/"), "");  // empty parameter
}

TEST_F(RouterTest, ParamInTheMiddle) {
  auto m = router_.match("/api/v1/interfaces/wg0/peers");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->params[0].second, "wg0");
  EXPECT_EQ(route_of(router_, "/api/v1/interfaces/wg0"), "");
}

TEST_F(RouterTest, RestParamTakesTheRestWithSlashes) {
  auto m = router_.match("/static/css/a%20b.css");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->params[0].second, "css/a b.css");
  EXPECT_EQ(route_of(router_, "/static/"), "");
}

TEST_F(RouterTest, BadEscapeIsInvalidInputNotNotFound) {
  auto m = router_.match("/api/v1/peers/%zz");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(router_.match("/nothing").error().code, ErrorCode::kNotFound);
}

TEST(RouterAdd, RejectsBadPatterns) {
  Router r;
  EXPECT_FALSE(r.add("metrics", named("x")).ok());
  EXPECT_FALSE(r.add("/a/{}", named("x")).ok());
  EXPECT_FALSE(r.add("/a/{b", named("x")).ok());
  EXPECT_FALSE(r.add("/a/x{b}", named("x")).ok());
  EXPECT_FALSE(r.add("/a/{rest*}/b", named("x")).ok());
  EXPECT_TRUE(r.add("/a", named("x")).ok());
  EXPECT_FALSE(r.add("/a", named("y")).ok());  // duplicate
}

}  // namespace
}  // namespace wgtrack::http
