// TestHttpReceiver: a tiny HTTP/1.1 server on 127.0.0.1, port 0, for tests of HTTP clients and
// the sinks that use them (tests only). It runs on the test's io_context and answers each
// request by a script: a status (500, then 200, ...), hang (read the request, never answer: the
// client must time out), or close (drop the connection without answering). It records what it
// received. One request per connection (the clients send "Connection: close").
// Beast is compiled in test_http_receiver.cc only (library wgtrack_test_http_receiver).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
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

  explicit TestHttpReceiver(boost::asio::io_context& io);
  ~TestHttpReceiver();

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

  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> serve(std::shared_ptr<tcp::socket> socket,
                                     std::shared_ptr<bool> alive);

  boost::asio::io_context& io_;
  tcp::acceptor acceptor_;
  std::shared_ptr<bool> alive_;
  std::list<std::shared_ptr<tcp::socket>> sockets_;
  std::deque<Reply> script_;
  Reply fallback_;
  std::vector<Received> received_;
};

// A loopback port with nothing listening (bound, then closed): connecting is refused.
std::uint16_t closed_loopback_port(boost::asio::io_context& io);

// Runs `io` until `done()` is true or `limit` (real time) passes; returns done().
bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
               std::chrono::milliseconds limit = std::chrono::seconds(10));

}  // namespace wgtrack::testing
