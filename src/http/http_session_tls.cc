// TLS connections and the ssl::context, apart from the plain path: this TU costs the most to
// compile, and nothing here runs unless TlsOptions are configured.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "http/http_session.h"

namespace wgtrack::http {
namespace {

using namespace session;  // NOLINT: internal helpers of this file's one coroutine
namespace ssl = asio::ssl;

asio::awaitable<void> tls_session(std::shared_ptr<ServerState> state,
                                  asio::ip::tcp::socket socket) {
  beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), *state->tls);
  auto& tcp = beast::get_lowest_layer(stream);
  ConnectionGuard guard(*state, [&tcp] { tcp.close(); });
  // The handshake is part of the first request's time budget (a silent client is cut off).
  tcp.expires_after(state->options.limits.request_timeout);
  auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, kUseTuple);
  if (ec) {
    if (ec == beast::error::timeout) {
      ++state->stats.timeouts;
    } else if (!state->stopped) {
      ++state->stats.tls_handshake_failures;
    }
    co_return;
  }
  co_await serve_requests(*state, stream);
  if (!state->stopped && tcp.socket().is_open()) {
    // close_notify, bounded: a client that never answers it costs at most write_timeout.
    tcp.expires_after(state->options.limits.write_timeout);
    co_await stream.async_shutdown(kUseTuple);
  }
  tcp.close();
}

}  // namespace

void spawn_tls_session(std::shared_ptr<ServerState> state, asio::ip::tcp::socket socket) {
  auto& io = state->io;
  asio::co_spawn(io, tls_session(std::move(state), std::move(socket)), asio::detached);
}

Result<std::unique_ptr<ssl::context>> make_tls_context(const TlsOptions& tls) {
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
  // TLS 1.2+ only; no renegotiation, no compression (CRIME).
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                   ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                   ssl::context::no_compression | ssl::context::single_dh_use);
  beast::error_code ec;
  ctx->use_certificate_chain_file(tls.cert_file, ec);
  if (ec) {
    return Error(ErrorCode::kInvalidInput,
                 "TLS certificate " + tls.cert_file + ": " + ec.message());
  }
  ctx->use_private_key_file(tls.key_file, ssl::context::pem, ec);
  if (ec) {
    return Error(ErrorCode::kInvalidInput, "TLS key " + tls.key_file + ": " + ec.message());
  }
  if (SSL_CTX_check_private_key(ctx->native_handle()) != 1) {
    return Error(ErrorCode::kInvalidInput,
                 "TLS key " + tls.key_file + " does not match certificate " + tls.cert_file);
  }
  return ctx;
}

}  // namespace wgtrack::http
