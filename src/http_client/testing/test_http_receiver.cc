#include "http_client/testing/test_http_receiver.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>

namespace wgtrack::testing {

TestHttpReceiver::TestHttpReceiver(boost::asio::io_context& io)
    : io_(io),
      acceptor_(io, {boost::asio::ip::make_address("127.0.0.1"), 0}),
      alive_(std::make_shared<bool>(true)) {
  boost::asio::co_spawn(io_, accept_loop(), boost::asio::detached);
}
TestHttpReceiver::~TestHttpReceiver() {
  *alive_ = false;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  for (auto& s : sockets_) s->close(ignored);
}

boost::asio::awaitable<void> TestHttpReceiver::accept_loop() {
  auto alive = alive_;
  for (;;) {
    auto [ec, socket] =
        co_await acceptor_.async_accept(boost::asio::as_tuple(boost::asio::use_awaitable));
    if (ec || !*alive) co_return;
    auto s = std::make_shared<tcp::socket>(std::move(socket));
    sockets_.push_back(s);
    boost::asio::co_spawn(io_, serve(s, alive), boost::asio::detached);
  }
}

boost::asio::awaitable<void> TestHttpReceiver::serve(std::shared_ptr<tcp::socket> socket,
                                                     std::shared_ptr<bool> alive) {
  namespace http = boost::beast::http;
  constexpr auto kAwait = boost::asio::as_tuple(boost::asio::use_awaitable);
  boost::beast::flat_buffer buffer;
  http::request<http::string_body> req;
  auto [rec, n] = co_await http::async_read(*socket, buffer, req, kAwait);
  (void)n;
  if (!*alive) co_return;
  boost::system::error_code ignored;
  if (rec) {  // not HTTP (a TLS hello, garbage): hang up like a real server
    socket->close(ignored);
    co_return;
  }
  Received r;
  r.method = std::string(req.method_string());
  r.target = std::string(req.target());
  for (const auto& field : req) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers[name] = std::string(field.value());
  }
  r.body = req.body();
  received_.push_back(std::move(r));
  Reply reply = fallback_;
  if (!script_.empty()) {
    reply = script_.front();
    script_.pop_front();
  }
  if (on_request) on_request();
  if (!*alive) co_return;
  if (reply.behavior == Behavior::kClose) {
    socket->close(ignored);
    co_return;
  }
  if (reply.behavior == Behavior::kHang) co_return;  // the socket stays open in sockets_
  http::response<http::string_body> res{static_cast<http::status>(reply.status), 11};
  res.set(http::field::connection, "close");
  res.body() = reply.body;
  res.prepare_payload();
  auto [wec, w] = co_await http::async_write(*socket, res, kAwait);
  (void)wec;
  (void)w;
  if (*alive) socket->shutdown(tcp::socket::shutdown_both, ignored);
}

// A loopback port with nothing listening (bound, then closed): connecting is refused.
std::uint16_t closed_loopback_port(boost::asio::io_context& io) {
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const auto port = a.local_endpoint().port();
  a.close();
  return port;
}

// Runs `io` until `done()` is true or `limit` (real time) passes; returns done().
bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
               std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  io.restart();
  while (!done() && std::chrono::steady_clock::now() < end) {
    io.run_one_for(std::chrono::milliseconds(20));
  }
  return done();
}

}  // namespace wgtrack::testing
