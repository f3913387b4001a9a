#include "http/http_session.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

namespace wgtrack::http {
namespace {

using namespace session;  // NOLINT: internal helpers of this file's one coroutine

asio::awaitable<void> plain_session(std::shared_ptr<ServerState> state,
                                    asio::ip::tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  ConnectionGuard guard(*state, [&stream] { stream.close(); });
  co_await serve_requests(*state, stream);
  // Half-close so the client reads our last response before it sees the end (RFC 9112 9.6).
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream.close();
}

}  // namespace

void spawn_plain_session(std::shared_ptr<ServerState> state, asio::ip::tcp::socket socket) {
  auto& io = state->io;
  asio::co_spawn(io, plain_session(std::move(state), std::move(socket)), asio::detached);
}

}  // namespace wgtrack::http
