#include "daemon/http_api.h"

#include "config/durations.h"
#include "sinks/json/events_query.h"
#include "sinks/json/json_api.h"
#include "sinks/prometheus/prometheus_format.h"
#include "web_assets.h"

namespace wgtrack {
namespace {

using http::HttpRequest;
using http::HttpResponse;
using std::chrono::nanoseconds;

// The API changes every cycle: never cached. The page is same-origin only; inline style
// attributes are how the virtualised list positions its rows.
void api_headers(HttpResponse& r) {
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
}

HttpResponse not_ready() {
  HttpResponse r = HttpResponse::text(503, "no cycle finished yet\n");
  r.headers.emplace_back("Retry-After", "1");
  return r;
}

std::string_view query_of(std::string_view target) {
  const auto q = target.find('?');
  return q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
}

// /metrics is rendered once per snapshot; every scrape of that cycle shares the text.
struct MetricsCache {
  const Snapshot* for_snapshot = nullptr;
  std::shared_ptr<const Snapshot> keep;  // so the pointer above cannot be reused meanwhile
  std::shared_ptr<const std::string> body;
  std::optional<nanoseconds> last_render;
};

}  // namespace

http::Router make_http_router(const HttpSettings& settings, HttpApiContext ctx) {
  http::Router router;
  auto c = std::make_shared<HttpApiContext>(std::move(ctx));
  auto cache = std::make_shared<MetricsCache>();
  PrometheusOptions prom;
  prom.profile = settings.profile;
  prom.handshake_delay = settings.handshake_delay;

  (void)router.add("/metrics", [c, cache, prom](const HttpRequest&) {
    auto s = c->snapshot();
    if (!s) return not_ready();
    if (cache->for_snapshot != s.get()) {
      const MonoTime t0 = c->clock->mono_now();
      PrometheusOptions o = prom;
      o.scrape_duration = cache->last_render;  // a render cannot time itself before it is sent
      auto text = std::make_shared<std::string>();
      text->reserve(cache->body ? cache->body->size() + 4096 : 64 * 1024);
      render_prometheus(*s, o, *text);
      cache->body = std::move(text);
      cache->for_snapshot = s.get();
      cache->keep = std::move(s);
      cache->last_render = c->clock->mono_now() - t0;
    }
    return HttpResponse::shared(cache->body, std::string(kPrometheusContentType));
  });

  (void)router.add("/api/v1/status", [c](const HttpRequest&) {
    auto s = c->snapshot();
    if (!s) return not_ready();
    JsonApiOptions o;
    o.version = c->version;
    o.uptime = c->clock->mono_now() - c->started;
    HttpResponse r = HttpResponse::json(200, render_status_json(*s, o));
    api_headers(r);
    return r;
  });

  (void)router.add("/api/v1/interfaces/{name}", [c](const HttpRequest& req) {
    auto s = c->snapshot();
    if (!s) return not_ready();
    auto doc = render_interface_json(*s, *req.param("name"));
    HttpResponse r = doc ? HttpResponse::json(200, std::move(*doc))
                         : HttpResponse::json(404, "{\"error\":\"no such interface\"}\n");
    api_headers(r);
    return r;
  });

  (void)router.add("/api/v1/peers/{key}", [c](const HttpRequest& req) {
    auto s = c->snapshot();
    if (!s) return not_ready();
    auto doc = render_peer_json(*s, *req.param("key"));
    HttpResponse r = doc ? HttpResponse::json(200, std::move(*doc))
                         : HttpResponse::json(404, "{\"error\":\"no such peer\"}\n");
    api_headers(r);
    return r;
  });

  (void)router.add("/api/v1/events", [c](const HttpRequest& req) {
    auto q = parse_events_query(query_of(req.target));
    if (!q) return HttpResponse::text(400, q.error().message + "\n");
    HttpResponse r =
        HttpResponse::json(200, render_events_json(c->events->since(q->since, q->limit)));
    api_headers(r);
    return r;
  });

  if (c->history) {
    (void)router.add("/api/v1/history/{key}", [c](const HttpRequest& req) {
      std::chrono::seconds since = std::chrono::hours(24);
      if (const std::string* v = req.query_param("since")) {
        auto d = config::parse_duration(*v);
        if (!d || d->count() <= 0) return HttpResponse::text(400, "since: expected e.g. 24h\n");
        since = std::chrono::duration_cast<std::chrono::seconds>(*d);
      }
      auto doc = c->history(*req.param("key"), since);
      HttpResponse r =
          doc ? HttpResponse::json(200, std::move(*doc))
              : HttpResponse::json(doc.error().code == ErrorCode::kNotFound ? 404 : 503,
                                   "{\"error\":\"" + doc.error().message + "\"}\n");
      api_headers(r);
      return r;
    });
  }

  (void)router.add("/healthz", [c](const HttpRequest&) {
    auto s = c->snapshot();
    if (!s) return not_ready();
    const nanoseconds age = c->clock->mono_now() - s->taken_at_mono;
    const nanoseconds limit = 3 * std::max(c->cycle_time, nanoseconds(std::chrono::seconds(1)));
    if (age > limit) {
      return HttpResponse::text(503, "stale: the last cycle finished " +
                                         std::to_string(age.count() / 1'000'000'000) + " s ago\n");
    }
    return HttpResponse::text(200, "ok\n");
  });

  if (settings.dashboard) {
    for (const web::Asset& a : web::assets()) {
      auto body = std::make_shared<const std::string>(a.body);
      auto handler = [&a, body](const HttpRequest&) {
        HttpResponse r = HttpResponse::shared(body, std::string(a.content_type));
        r.headers.emplace_back("Cache-Control", "no-cache");
        r.headers.emplace_back("X-Content-Type-Options", "nosniff");
        r.headers.emplace_back("Content-Security-Policy",
                               "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; frame-ancestors 'none'");
        return r;
      };
      (void)router.add(a.path, handler);
      if (a.path == "/index.html") (void)router.add("/", handler);
    }
  }
  return router;
}

}  // namespace wgtrack
