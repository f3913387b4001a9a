// IcmpChannel: one ICMP socket of one (interface, family) and the probes in flight on it.
// Internal to src/probe (it pulls in asio); the public face is IcmpProber.
//
// Handlers hold a shared_ptr to the channel, so it outlives the prober's map entry until they
// have run; after close() they do nothing.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/endpoint.h"
#include "probe/icmp_codec.h"
#include "probe/icmp_socket.h"
#include "probe/prober.h"
#include "probe/send_pacer.h"

namespace wgtrack {

class IcmpChannel : public std::enable_shared_from_this<IcmpChannel> {
 public:
  using Done = std::function<void(const ProbeResult&)>;
  // Completions that must run later (from inside probe(), or after close()) are posted and
  // dropped if `alive` has expired by then: the prober is gone.
  using Alive = std::weak_ptr<const bool>;

  // Takes ownership of s.fd (closed with the channel). May throw if asio cannot register it.
  // `pacer` is shared by the channels of one interface (both families use its queue).
  IcmpChannel(boost::asio::io_context& io, Alive alive, std::string interface, IpFamily family,
              const IcmpSocket& s, std::uint16_t id, std::shared_ptr<SendPacer> pacer);

  // Queues one probe; it is sent from the loop as the pacer allows, never inside this call, and
  // `done` runs once. `timeout` runs from the send; a probe still queued after `timeout` fails
  // with kTransient (we could not probe), never as lost.
  void start(Endpoint target, std::chrono::milliseconds timeout, std::uint64_t nonce, Done done);

  // Closes the socket and returns the callbacks of the probes in flight, which it drops.
  std::vector<Done> close();

  bool closed() const { return closed_; }
  IcmpSocketKind kind() const { return kind_; }
  std::size_t in_flight() const { return pending_.size(); }

 private:
  using Clock = std::chrono::steady_clock;
  struct Pending {
    explicit Pending(boost::asio::io_context& io) : timer(io) {}
    boost::asio::steady_timer timer;
    std::uint64_t nonce = 0;
    Endpoint target;
    std::chrono::milliseconds timeout{0};
    Clock::time_point sent_at;
    bool sent = false;
    EchoMessage message{};
    Done done;
  };
  enum class SendStatus { kSent, kWouldBlock, kFailed };

  void arm_timeout(std::uint16_t seq, std::uint64_t nonce);
  void finish(std::uint16_t seq, std::uint64_t nonce, ProbeResult result);
  void on_timeout(std::uint16_t seq, std::uint64_t nonce);
  SendStatus send(std::uint16_t seq);
  void schedule_flush();
  void flush();
  void arm_pace(Clock::time_point when);
  void arm_write();
  void arm_read();
  void drain();

  boost::asio::io_context& io_;
  Alive alive_;
  std::string interface_;
  IpFamily family_;
  IcmpSocketKind kind_;
  unsigned ifindex_;
  std::uint16_t id_;
  std::uint16_t next_seq_;
  boost::asio::posix::stream_descriptor fd_;
  std::shared_ptr<SendPacer> pacer_;
  boost::asio::steady_timer pace_timer_;
  std::unordered_map<std::uint16_t, Pending> pending_;  // by sequence number
  std::deque<std::uint16_t> queue_;                     // sequence numbers waiting to be sent
  std::vector<std::uint8_t> buffer_;
  bool flush_posted_ = false;
  bool pacing_ = false;
  bool writing_ = false;
  bool reading_ = false;
  bool closed_ = false;
};

}  // namespace wgtrack
