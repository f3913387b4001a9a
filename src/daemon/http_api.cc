#include "daemon/http_api.h"

#include "config/durations.h"
#include "daemon/document_cache.h"
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

// A document of the snapshot from its cache: gzip-encoded when the client accepts it, 500 when
// rendering failed. `api`: with the API's headers.
HttpResponse serve_cached(std::shared_ptr<DocumentCache> cache, std::shared_ptr<const Snapshot> s,
                          const HttpRequest& request, std::string_view content_type, bool api) {
  const bool gzip = http::accepts_gzip(request.header("Accept-Encoding"));
  return HttpResponse::later([cache = std::move(cache), s = std::move(s), gzip,
                              type = std::string(content_type), api](HttpResponse::Completion done) {
    cache->get(s, gzip, [done = std::move(done), type, api](DocumentCache::Body body, bool gz) {
      if (!body) {
        done(HttpResponse::text(500, "rendering failed\n"));
        return;
      }
      HttpResponse r = HttpResponse::shared(std::move(body), type);
      r.headers.emplace_back("Vary", "Accept-Encoding");
      if (gz) r.headers.emplace_back("Content-Encoding", "gzip");
      if (api) api_headers(r);
      done(std::move(r));
    });
  });
}

}  // namespace

http::Router make_http_router(const HttpSettings& settings, HttpApiContext ctx) {
  http::Router router;
  auto c = std::make_shared<HttpApiContext>(std::move(ctx));
  PrometheusOptions prom;
  prom.profile = settings.profile;
  prom.handshake_delay = settings.handshake_delay;
  auto metrics = std::make_shared<DocumentCache>(
      [prom](const Snapshot& s, std::optional<nanoseconds> previous_render, std::string& out) {
        PrometheusOptions o = prom;
        o.scrape_duration = previous_render;  // a render cannot time itself before it is sent
        render_prometheus(s, o, out);
      },
      *c->clock, c->off_loop, c->to_loop);
  // The dashboard polls this; at 10,000 peers it is ~6 MB of JSON, ~7 ms to render.
  auto status = std::make_shared<DocumentCache>(
      [c](const Snapshot& s, std::optional<nanoseconds>, std::string& out) {
        JsonApiOptions o;
        o.version = c->version;
        o.uptime = c->clock->mono_now() - c->started;
        render_status_json(s, o, out);
      },
      *c->clock, c->off_loop, c->to_loop);

  (void)router.add("/metrics", [c, metrics](const HttpRequest& request) {
    auto s = c->snapshot();
    if (!s) return not_ready();
    return serve_cached(metrics, std::move(s), request, kPrometheusContentType, false);
  });

  (void)router.add("/api/v1/status", [c, status](const HttpRequest& request) {
    auto s = c->snapshot();
    if (!s) return not_ready();
    return serve_cached(status, std::move(s), request, "application/json", true);
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
