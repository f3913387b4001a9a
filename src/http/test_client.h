// Test-only: a Beast client on the test's own io_context (the server under test runs on the
// same loop), and a loop driver that stops on a condition, never on a sleep.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstring>
#include <exception>
#include <functional>
#include <optional>
#include <string>

#include "core/endpoint.h"

namespace wgtrack::http::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;
inline constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// Runs `io` until done() holds or `budget` (a failure guard, not a wait) is used up.
inline bool run_until(asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::milliseconds budget = std::chrono::seconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + budget;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    io.run_one_for(std::chrono::milliseconds(20));
    if (io.stopped()) io.restart();
  }
  return done();
}

// Spawns `aw` on `io` and runs the loop until it finishes; its value (exceptions rethrown).
template <class T>
T run(asio::io_context& io, asio::awaitable<T> aw) {
  auto state = std::make_shared<std::pair<std::optional<T>, std::exception_ptr>>();
  bool done = false;
  asio::co_spawn(io, std::move(aw), [state, &done](std::exception_ptr e, T v) {
    state->second = e;
    if (!e) state->first = std::move(v);
    done = true;
  });
  EXPECT_TRUE(run_until(io, [&] { return done; })) << "client coroutine did not finish";
  if (state->second) std::rethrow_exception(state->second);
  if (!state->first) throw std::runtime_error("client coroutine did not finish");
  return std::move(*state->first);
}

inline tcp::endpoint to_asio(const Endpoint& e) {
  sockaddr_storage ss{};
  std::size_t len = e.to_sockaddr(ss);
  tcp::endpoint ep;
  std::memcpy(ep.data(), &ss, len);
  ep.resize(len);
  return ep;
}

struct ClientResponse {
  beast::error_code ec;  // set when no complete response arrived
  beast::http::response<beast::http::string_body> message;
  int status() const { return static_cast<int>(message.result_int()); }
  std::string header(beast::string_view name) const { return std::string(message[name]); }
};

// One connection kept across requests (keep-alive), generic over plain/TLS streams.
template <class Stream>
asio::awaitable<ClientResponse> exchange(Stream& stream, beast::flat_buffer& buffer,
                                         std::string request, bool head = false) {
  ClientResponse out;
  auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(request), kTuple);
  if (wec) {
    out.ec = wec;
    co_return out;
  }
  beast::http::response_parser<beast::http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  parser.skip(head);  // a HEAD response has Content-Length but no body
  auto [ec, n] = co_await beast::http::async_read(stream, buffer, parser, kTuple);
  out.ec = ec;
  if (!ec) out.message = parser.release();
  co_return out;
}

// Reads until the peer closes; the error that ended it (eof or reset) or timed_out after
// `guard` (the test then fails: the server was expected to close).
inline asio::awaitable<beast::error_code> wait_closed(tcp::socket& socket) {
  char buf[4096];
  for (;;) {
    auto [ec, n] = co_await socket.async_read_some(asio::buffer(buf), kTuple);
    if (ec) co_return ec;
  }
}

inline asio::awaitable<tcp::socket> connect(Endpoint server) {
  tcp::socket socket(co_await asio::this_coro::executor);
  co_await socket.async_connect(to_asio(server), asio::use_awaitable);
  co_return socket;
}

inline std::string get(std::string_view path, std::string_view extra = "") {
  return "GET " + std::string(path) + " HTTP/1.1\r\nHost: t\r\n" + std::string(extra) + "\r\n";
}

}  // namespace wgtrack::http::test
