// One connection's request loop, generic over the stream (beast::tcp_stream or
// beast::ssl_stream<beast::tcp_stream>). Internal; included by http_session.cc and
// http_session_tls.cc only.
//
// Deadlines (HttpLimits): idle_timeout until a request's first byte, then request_timeout for
// the whole request (a slowloris client sending a byte a second is cut off), write_timeout per
// response. beast::tcp_stream closes the socket when a deadline passes, so a dead client ends
// the coroutine and nothing else.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <functional>
#include <memory>
#include <optional>

#include "http/request_pipeline.h"
#include "http/server_state.h"

namespace wgtrack::http::session {

namespace asio = boost::asio;
namespace beast = boost::beast;
inline constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

// Registers the connection for stop() and keeps connections_active right on every exit path.
class ConnectionGuard {
 public:
  ConnectionGuard(ServerState& state, std::function<void()> close) : state_(state) {
    id_ = state_.next_connection_id++;
    state_.connections.emplace(id_, std::move(close));
  }
  ~ConnectionGuard() {
    state_.connections.erase(id_);
    --state_.stats.connections_active;  // incremented by the accept loop
  }
  ConnectionGuard(const ConnectionGuard&) = delete;
  ConnectionGuard& operator=(const ConnectionGuard&) = delete;

 private:
  ServerState& state_;
  std::uint64_t id_ = 0;
};

// The answer to a deferred response (HttpResponse::deferred): the connection waits on a timer
// that the completion cancels, so the loop goes on serving others meanwhile. 503 when nothing
// came within request_timeout; 500 when starting it threw.
inline asio::awaitable<HttpResponse> await_deferred(
    ServerState& state, std::function<void(HttpResponse::Completion)> start) {
  struct Wait {
    explicit Wait(asio::any_io_executor ex) : timer(std::move(ex)) {}
    asio::steady_timer timer;
    std::optional<HttpResponse> response;
  };
  auto wait = std::make_shared<Wait>(co_await asio::this_coro::executor);
  wait->timer.expires_after(state.options.limits.request_timeout);
  try {
    start([wait](HttpResponse r) {
      if (wait->response) return;
      wait->response = std::move(r);
      wait->timer.cancel();
    });
  } catch (...) {
    ++state.stats.handler_errors;
    co_return HttpResponse::text(500, "internal error\n");
  }
  if (!wait->response) co_await wait->timer.async_wait(kUseTuple);
  if (!wait->response || wait->response->deferred) {
    ++state.stats.handler_errors;
    HttpResponse r = HttpResponse::text(503, "not ready in time\n");
    r.headers.emplace_back("Retry-After", "1");
    co_return r;
  }
  co_return std::move(*wait->response);
}

// Writes one reply; false when the connection is gone (or the write deadline passed).
template <class Stream>
asio::awaitable<bool> send_reply(ServerState& state, Stream& stream, const Reply& reply,
                                 unsigned version) {
  BeastResponse message = to_beast_response(reply, version);
  beast::get_lowest_layer(stream).expires_after(state.options.limits.write_timeout);
  auto [ec, n] = co_await beast::http::async_write(stream, message, kUseTuple);
  if (ec) {
    if (ec == beast::error::timeout) ++state.stats.timeouts;
    co_return false;
  }
  state.stats.count_response(reply.response.status, n);
  co_return true;
}

// Serves requests until the client closes, a deadline passes, an error or a reply closes.
template <class Stream>
asio::awaitable<void> serve_requests(ServerState& state, Stream& stream) {
  namespace bhttp = beast::http;
  const HttpLimits& limits = state.options.limits;
  auto& tcp = beast::get_lowest_layer(stream);
  // Bounds what one connection may buffer (a pipelining client cannot grow it further).
  beast::flat_buffer buffer(limits.max_header_bytes + limits.max_body_bytes + 4096);
  while (!state.stopped) {
    if (buffer.size() == 0) {
      tcp.expires_after(limits.idle_timeout);
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(2048), kUseTuple);
      if (ec) {
        if (ec == beast::error::timeout) ++state.stats.idle_closes;
        co_return;
      }
      buffer.commit(n);
    }
    tcp.expires_after(limits.request_timeout);
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
    parser.body_limit(limits.max_body_bytes);
    auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, kUseTuple);
    if (ec) {
      if (ec == beast::error::timeout) {
        ++state.stats.timeouts;  // slowloris: no answer, the socket is already closed
        co_return;
      }
      if (ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
          ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
          state.stopped) {
        co_return;
      }
      co_await send_reply(state, stream, reply_to_parse_error(ec), 11);
      co_return;
    }
    Reply reply = respond(state.pipeline(), parser.get(), state.clock.mono_now());
    if (reply.response.deferred) {
      reply.response = co_await await_deferred(state, std::move(reply.response.deferred));
      if (state.stopped) co_return;
    }
    if (!co_await send_reply(state, stream, reply, parser.get().version())) co_return;
    if (reply.close) co_return;
  }
}

}  // namespace wgtrack::http::session
