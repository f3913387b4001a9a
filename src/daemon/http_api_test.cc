// The daemon's routes on a sample snapshot, through the Router (no sockets: the server itself is
// tested in src/http).
#include "daemon/http_api.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/fake_clock.h"
#include "support/gunzip.h"
#include "support/sample_snapshot.h"

namespace wgtrack {
namespace {

using namespace std::chrono_literals;

class HttpApiTest : public ::testing::Test {
 protected:
  http::HttpResponse get(const std::string& target, const HttpSettings& settings = {}) {
    http::Router fresh = make_http_router(settings, context());
    return get(fresh, target);
  }
  http::HttpResponse get(const http::Router& router, const std::string& target) {
    const std::string path = target.substr(0, target.find('?'));
    auto m = router.match(path);
    if (!m) return http::HttpResponse::text(404, "");
    http::HttpRequest req;
    req.method = http::HttpMethod::kGet;
    req.target = target;
    req.path = path;
    req.params = m->params;
    req.headers = headers_;
    http::HttpResponse r = (*m->handler)(req);
    if (!r.deferred) return r;
    // /metrics answers later; without executors in the context its work runs at once.
    std::optional<http::HttpResponse> answer;
    r.deferred([&](http::HttpResponse a) { answer = std::move(a); });
    if (!answer) return http::HttpResponse::text(599, "deferred response never completed");
    return std::move(*answer);
  }
  HttpApiContext context() {
    HttpApiContext c;
    c.snapshot = [this] { return snapshot_; };
    c.events = &ring_;
    c.clock = &clock_;
    c.version = "9.9.9";
    c.started = clock_.mono_now() - 60s;
    c.cycle_time = 1s;
    return c;
  }
  testing::FakeClock clock_;
  std::vector<http::HttpHeader> headers_;  // sent with every request
  std::shared_ptr<const Snapshot> snapshot_;
  EventRing ring_{10, 1};
};

std::string header_of(const http::HttpResponse& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

TEST_F(HttpApiTest, MetricsAreGzipEncodedOnlyForClientsThatAcceptIt) {
  snapshot_ = std::make_shared<const Snapshot>(testing::sample_snapshot());
  const http::Router router = make_http_router({}, context());
  const auto plain = get(router, "/metrics");
  ASSERT_EQ(plain.status, 200);
  EXPECT_EQ(header_of(plain, "Content-Encoding"), "");
  EXPECT_EQ(header_of(plain, "Vary"), "Accept-Encoding");  // caches keep the two apart

  headers_ = {{"Accept-Encoding", "gzip"}};  // what Prometheus sends
  const auto gz = get(router, "/metrics");
  ASSERT_EQ(gz.status, 200);
  EXPECT_EQ(header_of(gz, "Content-Encoding"), "gzip");
  EXPECT_EQ(header_of(gz, "Vary"), "Accept-Encoding");
  EXPECT_EQ(gz.content_type, kPrometheusContentType);
  EXPECT_LT(gz.body_view().size(), plain.body_view().size());
  EXPECT_TRUE(testing::gunzip(gz.body_view()) == plain.body_view());

  headers_ = {{"Accept-Encoding", "gzip;q=0, identity"}};
  EXPECT_TRUE(get(router, "/metrics").body_view() == plain.body_view());
}

TEST_F(HttpApiTest, StatusIsRenderedOncePerSnapshotAndGzipEncodedForBrowsers) {
  snapshot_ = std::make_shared<const Snapshot>(testing::sample_snapshot());
  const http::Router router = make_http_router({}, context());
  const auto plain = get(router, "/api/v1/status");
  ASSERT_EQ(plain.status, 200);
  EXPECT_EQ(plain.content_type, "application/json");
  EXPECT_EQ(header_of(plain, "Cache-Control"), "no-store");
  EXPECT_EQ(std::get<std::shared_ptr<const std::string>>(get(router, "/api/v1/status").body).get(),
            std::get<std::shared_ptr<const std::string>>(plain.body).get());

  headers_ = {{"Accept-Encoding", "gzip, deflate, br"}};  // what Chromium sends
  const auto gz = get(router, "/api/v1/status");
  ASSERT_EQ(gz.status, 200);
  EXPECT_EQ(header_of(gz, "Content-Encoding"), "gzip");
  EXPECT_EQ(header_of(gz, "Cache-Control"), "no-store");
  const std::string decoded = testing::gunzip(gz.body_view());
  EXPECT_TRUE(decoded == plain.body_view());
  EXPECT_EQ(boost::json::parse(decoded).at("daemon").at("version").as_string(), "9.9.9");
}

TEST_F(HttpApiTest, BeforeTheFirstCycleEverythingSaysNotReady) {
  EXPECT_EQ(get("/metrics").status, 503);
  EXPECT_EQ(get("/api/v1/status").status, 503);
  EXPECT_EQ(get("/healthz").status, 503);
  EXPECT_EQ(get("/api/v1/events").status, 200);  // the ring exists from the start
}

TEST_F(HttpApiTest, MetricsStatusPeersAndHealth) {
  Snapshot s = testing::sample_snapshot();
  s.taken_at_mono = clock_.mono_now();
  const std::string key = s.interfaces.at(0).peers.at(0).key;
  snapshot_ = std::make_shared<const Snapshot>(std::move(s));

  const http::Router router = make_http_router({}, context());
  auto metrics = get(router, "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.content_type, kPrometheusContentType);
  EXPECT_NE(metrics.body_view().find("wgtrack_peer_up{"), std::string_view::npos);
  // Rendered once per snapshot: the next scrape shares the same text.
  EXPECT_EQ(std::get<std::shared_ptr<const std::string>>(get(router, "/metrics").body).get(),
            std::get<std::shared_ptr<const std::string>>(metrics.body).get());

  HttpSettings mdlayher;
  mdlayher.profile = PrometheusProfile::kMdlayher;
  EXPECT_NE(get("/metrics", mdlayher).body_view().find("wireguard_peer_receive_bytes_total"),
            std::string_view::npos);

  auto status = get("/api/v1/status");
  ASSERT_EQ(status.status, 200);
  const auto doc = boost::json::parse(status.body_view());
  EXPECT_EQ(doc.at("daemon").at("version").as_string(), "9.9.9");
  EXPECT_EQ(doc.at("daemon").at("uptime_seconds").to_number<int>(), 60);

  std::string url_safe = key;
  for (char& c : url_safe) c = c == '+' ? '-' : c == '/' ? '_' : c;
  EXPECT_EQ(get("/api/v1/peers/" + url_safe).status, 200);
  EXPECT_EQ(get("/api/v1/peers/nokey").status, 404);
  EXPECT_EQ(get("/api/v1/interfaces/" + snapshot_->interfaces.at(0).name).status, 200);
  EXPECT_EQ(get("/api/v1/interfaces/nosuch").status, 404);
  EXPECT_EQ(get("/api/v1/events?since=x").status, 400);

  EXPECT_EQ(get("/healthz").status, 200);
  clock_.advance(10s);  // three cycle times without a new snapshot: the loop is stuck
  auto stale = get("/healthz");
  EXPECT_EQ(stale.status, 503);
  EXPECT_NE(stale.body_view().find("stale"), std::string_view::npos);
}

TEST_F(HttpApiTest, DashboardIsServedUnlessTurnedOff) {
  auto page = get("/");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_NE(page.body_view().find("<title>wgtrack</title>"), std::string_view::npos);
  EXPECT_EQ(get("/app.js").status, 200);
  HttpSettings off;
  off.dashboard = false;
  EXPECT_EQ(get("/", off).status, 404);
}

}  // namespace
}  // namespace wgtrack
