// HttpServer: HTTP/1.1 (optionally over TLS) on the daemon's single-threaded io_context, one
// coroutine per connection, every read and write bounded by a deadline (HttpLimits), so a slow
// or malicious client costs one small coroutine and never stalls the loop. Answers come from the
// Router through request_pipeline.h; the server itself knows nothing about WireGuard.
//
//   http::HttpServer server(io, options, std::move(router), clock);
//   if (auto r = server.start(); !r) ...;   // binds every listener, or none
//   ... io.run() ...
//   server.stop();                          // closes listeners and connections
//
// Asio and Beast stay out of this header.
#pragma once

#include <memory>
#include <vector>

#include "core/clock.h"
#include "core/endpoint.h"
#include "core/result.h"
#include "http/http_options.h"
#include "http/http_server_stats.h"
#include "http/router.h"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace wgtrack::http {

struct ServerState;

class HttpServer {
 public:
  // `io` and `clock` must outlive the server; `clock` dates the auth cache only (deadlines use
  // asio's steady timers).
  HttpServer(boost::asio::io_context& io, HttpServerOptions options, Router router,
             const Clock& clock);
  ~HttpServer();  // stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Validates the options (listen addresses, auth hash, TLS files), binds and listens on every
  // address and starts accepting. On any error nothing stays bound. kInvalidInput for bad
  // options, kPermissionDenied/kTransient/... (errno mapping) for bind failures. Call once.
  Result<void> start();
  // Closes the listeners and every open connection (their coroutines end on the loop). Idempotent.
  void stop();

  // Bound addresses, in the order of options.listen (the real port when 0 was asked).
  std::vector<Endpoint> local_endpoints() const;
  const HttpServerStats& stats() const;
  // Auth cache hits / crypt verifications (zeros without auth).
  std::uint64_t auth_cache_hits() const;
  std::uint64_t auth_verifications() const;

 private:
  std::shared_ptr<ServerState> state_;
};

}  // namespace wgtrack::http
