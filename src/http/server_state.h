// ServerState: what HttpServer and its connection coroutines share. Coroutines hold it by
// shared_ptr, so it outlives the HttpServer until the last coroutine has ended. Internal.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "core/clock.h"
#include "http/basic_auth.h"
#include "http/http_options.h"
#include "http/http_server_stats.h"
#include "http/request_pipeline.h"
#include "http/router.h"

namespace wgtrack::http {

struct ServerState {
  ServerState(boost::asio::io_context& io_context, HttpServerOptions opts, Router r, const Clock& c)
      : io(io_context), options(std::move(opts)), router(std::move(r)), clock(c) {}

  PipelineContext pipeline() {
    return PipelineContext{&router, auth ? &*auth : nullptr, options.limits, &stats};
  }

  boost::asio::io_context& io;
  HttpServerOptions options;
  Router router;
  const Clock& clock;
  std::optional<BasicAuth> auth;
  // Created only when TLS is configured: before that OpenSSL is never initialised.
  std::unique_ptr<boost::asio::ssl::context> tls;
  std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> acceptors;
  HttpServerStats stats;
  bool stopped = false;
  // Open connections: id -> closes its socket (used by stop()).
  std::map<std::uint64_t, std::function<void()>> connections;
  std::uint64_t next_connection_id = 1;
};

// Runs one accepted connection to its end (plain HTTP).
void spawn_plain_session(std::shared_ptr<ServerState> state, boost::asio::ip::tcp::socket socket);
// The same over TLS (state->tls set); in its own translation unit (compile time).
void spawn_tls_session(std::shared_ptr<ServerState> state, boost::asio::ip::tcp::socket socket);
// Loads the certificate and key; kInvalidInput naming the file on failure.
Result<std::unique_ptr<boost::asio::ssl::context>> make_tls_context(const TlsOptions& tls);

}  // namespace wgtrack::http
