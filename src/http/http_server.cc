#include "http/http_server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstring>

#include "http/server_state.h"
#include "sys/errno_error.h"

namespace wgtrack::http {
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
// After EMFILE/ENFILE the pending connection stays queued; retrying at once would spin.
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

// "ADDR:PORT" or "[ADDR6]:PORT" with an IP literal; port 0 is an ephemeral port.
Result<tcp::endpoint> parse_listen(const std::string& text) {
  auto literal = Endpoint::parse(text, Endpoint::PortZero::kAllowed);
  if (!literal) {
    return Error(ErrorCode::kInvalidInput,
                 "listen address '" + text + "': " + literal.error().message);
  }
  sockaddr_storage ss{};
  std::size_t len = literal->to_sockaddr(ss);
  tcp::endpoint ep;
  std::memcpy(ep.data(), &ss, len);
  ep.resize(len);
  return ep;
}

Result<std::unique_ptr<tcp::acceptor>> open_listener(asio::io_context& io, const tcp::endpoint& ep,
                                                     const std::string& text) {
  auto acceptor = std::make_unique<tcp::acceptor>(io);
  boost::system::error_code ec;
  auto fail = [&](const char* what) {
    return errno_error(ec.value(), std::string(what) + " " + text);
  };
  acceptor->open(ep.protocol(), ec);
  if (ec) return fail("socket for");
  acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (ep.address().is_v6()) {
    // v6-only, so "[::]:P" and "0.0.0.0:P" can both be listed (Linux defaults to dual-stack).
    acceptor->set_option(asio::ip::v6_only(true), ec);
  }
  acceptor->bind(ep, ec);
  if (ec) return fail("bind");
  acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen on");
  return acceptor;
}

asio::awaitable<void> accept_loop(std::shared_ptr<ServerState> state, tcp::acceptor& acceptor) {
  while (!state->stopped) {
    auto [ec, socket] = co_await acceptor.async_accept(kUseTuple);
    if (state->stopped || ec == asio::error::operation_aborted) co_return;
    if (ec) {
      ++state->stats.accept_errors;
      asio::steady_timer timer(state->io, kAcceptRetryDelay);
      co_await timer.async_wait(kUseTuple);
      continue;
    }
    if (state->stats.connections_active >= state->options.limits.max_connections) {
      // Closing at once costs nothing; a 503 would need a read and a write (and a TLS handshake).
      ++state->stats.connections_rejected;
      boost::system::error_code ignored;
      socket.close(ignored);
      continue;
    }
    ++state->stats.connections_accepted;
    ++state->stats.connections_active;  // decremented by the session's ConnectionGuard
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    if (state->tls) {
      spawn_tls_session(state, std::move(socket));
    } else {
      spawn_plain_session(state, std::move(socket));
    }
  }
}

}  // namespace

HttpServer::HttpServer(asio::io_context& io, HttpServerOptions options, Router router,
                       const Clock& clock)
    : state_(std::make_shared<ServerState>(io, std::move(options), std::move(router), clock)) {}

HttpServer::~HttpServer() { stop(); }

Result<void> HttpServer::start() {
  ServerState& s = *state_;
  if (!s.acceptors.empty() || s.stopped) {
    return Error(ErrorCode::kInvalidInput, "HttpServer::start() called twice");
  }
  if (s.options.listen.empty()) return Error(ErrorCode::kInvalidInput, "no listen address");
  std::vector<tcp::endpoint> endpoints;
  for (const auto& text : s.options.listen) {
    auto ep = parse_listen(text);
    if (!ep) return ep.error();
    endpoints.push_back(*ep);
  }
  if (s.options.auth) {
    auto auth = BasicAuth::create(*s.options.auth);
    if (!auth) return auth.error();
    s.auth.emplace(std::move(*auth));
  }
  if (s.options.tls) {
    auto tls = make_tls_context(*s.options.tls);
    if (!tls) return tls.error();
    s.tls = std::move(*tls);
  }
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    auto acceptor = open_listener(s.io, endpoints[i], s.options.listen[i]);
    if (!acceptor) return acceptor.error();  // the ones opened so far close here
    acceptors.push_back(std::move(*acceptor));
  }
  s.acceptors = std::move(acceptors);
  for (auto& acceptor : s.acceptors) {
    asio::co_spawn(s.io, accept_loop(state_, *acceptor), asio::detached);
  }
  return success();
}

void HttpServer::stop() {
  ServerState& s = *state_;
  if (s.stopped) return;
  s.stopped = true;
  boost::system::error_code ignored;
  for (auto& acceptor : s.acceptors) acceptor->close(ignored);
  // Closing completes each connection's pending operation with an error; the coroutines then end
  // on the loop and unregister themselves (copy: no erasing while we iterate).
  auto connections = s.connections;
  for (auto& [id, close] : connections) close();
}

std::vector<Endpoint> HttpServer::local_endpoints() const {
  std::vector<Endpoint> out;
  for (const auto& acceptor : state_->acceptors) {
    boost::system::error_code ec;
    auto ep = acceptor->local_endpoint(ec);
    if (ec) continue;
    auto e = Endpoint::from_sockaddr(ep.data(), ep.size());
    if (e) out.push_back(*e);
  }
  return out;
}

const HttpServerStats& HttpServer::stats() const { return state_->stats; }

std::uint64_t HttpServer::auth_cache_hits() const {
  return state_->auth ? state_->auth->stats().cache_hits : 0;
}

std::uint64_t HttpServer::auth_verifications() const {
  return state_->auth ? state_->auth->stats().verifications : 0;
}

}  // namespace wgtrack::http
