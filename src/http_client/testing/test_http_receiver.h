// TestHttpReceiver: a tiny HTTP/1.1 server on 127.0.0.1, port 0, for tests of HTTP clients and
// the sinks that use them (tests only). It runs on the test's io_context and answers each
// request by a script: a status (500, then 200, ...), hang (read the request, never answer: the
// client must time out), or close (drop the connection without answering). It records what it
// received. One request per connection (the clients send "Connection: close").
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <chrono>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace wgtrack::testing {

class TestHttpReceiver {
 public:
  enum class Behavior { kAnswer, kHang, kClose };
  struct Reply {
    Behavior behavior = Behavior::kAnswer;
    unsigned status = 200;
    std::string body;
  };
  static Reply status(unsigned code) { return {Behavior::kAnswer, code, {}}; }
  static Reply hang() { return {Behavior::kHang, 0, {}}; }
  static Reply close() { return {Behavior::kClose, 0, {}}; }

  struct Received {
    std::string method;
    std::string target;
    std::map<std::string, std::string> headers;  // names lowercase
    std::string body;
    std::string header(const std::string& name) const {
      auto it = headers.find(name);
      return it == headers.end() ? std::string() : it->second;
    }
  };

  explicit TestHttpReceiver(boost::asio::io_context& io)
      : io_(io),
        acceptor_(io, {boost::asio::ip::make_address("127.0.0.1"), 0}),
        alive_(std::make_shared<bool>(true)) {
    boost::asio::co_spawn(io_, accept_loop(), boost::asio::detached);
  }
  ~TestHttpReceiver() {
    *alive_ = false;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    for (auto& s : sockets_) s->close(ignored);
  }

  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::string url(const std::string& target = "/") const {
    return "http://127.0.0.1:" + std::to_string(port()) + target;
  }
  // Replies for the next requests, in order; when the script runs out, `fallback` answers.
  void script(std::vector<Reply> replies) { script_.assign(replies.begin(), replies.end()); }
  void set_fallback(Reply reply) { fallback_ = std::move(reply); }
  const std::vector<Received>& received() const { return received_; }
  // Called after each request has been recorded (e.g. to stop the io_context).
  std::function<void()> on_request;

 private:
  using tcp = boost::asio::ip::tcp;

  boost::asio::awaitable<void> accept_loop() {
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

  boost::asio::awaitable<void> serve(std::shared_ptr<tcp::socket> socket,
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

  boost::asio::io_context& io_;
  tcp::acceptor acceptor_;
  std::shared_ptr<bool> alive_;
  std::list<std::shared_ptr<tcp::socket>> sockets_;
  std::deque<Reply> script_;
  Reply fallback_;
  std::vector<Received> received_;
};

// A loopback port with nothing listening (bound, then closed): connecting is refused.
inline std::uint16_t closed_loopback_port(boost::asio::io_context& io) {
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const auto port = a.local_endpoint().port();
  a.close();
  return port;
}

// Runs `io` until `done()` is true or `limit` (real time) passes; returns done().
inline bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  const auto end = std::chrono::steady_clock::now() + limit;
  io.restart();
  while (!done() && std::chrono::steady_clock::now() < end) {
    io.run_one_for(std::chrono::milliseconds(20));
  }
  return done();
}

}  // namespace wgtrack::testing
