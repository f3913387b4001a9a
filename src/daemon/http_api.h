// The daemon's HTTP routes (the server itself is src/http): state from the latest Snapshot,
// rendered by the pure formatters (docs/architecture.md rule 7), never from live objects.
//
//   GET /metrics                   Prometheus text, the configured profile, gzip-encoded when
//                                  the client accepts it; rendered (and compressed) once per
//                                  snapshot, off the loop, and shared by every scrape of it
//   GET /api/v1/status             docs/api.md; cached and gzip-encoded like /metrics
//   GET /api/v1/interfaces/{name}
//   GET /api/v1/peers/{key}
//   GET /api/v1/events?since=N&limit=M
//   GET /api/v1/history/{key}?since=24h   samples and events of one peer (when history is on)
//   GET /healthz                   200 "ok" while cycles run; 503 when the last one is older
//                                  than 3 cycle times (a hung loop never answers at all)
//   GET /, /app.js, /style.css     the dashboard (web/), unless [http] dashboard = no
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/clock.h"
#include "daemon/http_settings.h"
#include "http/router.h"
#include "sinks/json/event_ring.h"
#include "snapshot/snapshot.h"

namespace wgtrack {

struct HttpApiContext {
  std::function<std::shared_ptr<const Snapshot>()> snapshot;  // null before the first cycle
  const EventRing* events = nullptr;
  const Clock* clock = nullptr;
  std::string version;
  MonoTime started{};                      // for daemon.uptime_seconds
  std::chrono::nanoseconds cycle_time{0};  // for /healthz
  // /api/v1/history/{key}: the JSON document, or an error (kNotFound: no such peer or no
  // history kept). Empty function: no history route.
  std::function<Result<std::string>(std::string_view key, std::chrono::seconds since)> history;
  // Where /metrics and /api/v1/status are rendered and compressed, and how results come back
  // to the loop (DocumentCache). Empty: at once, on the caller's thread (tests).
  std::function<void(std::function<void()>)> off_loop;
  std::function<void(std::function<void()>)> to_loop;
};

http::Router make_http_router(const HttpSettings& settings, HttpApiContext context);

}  // namespace wgtrack
