#include "probe/icmp_channel.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <cerrno>

namespace wgtrack {
namespace {

namespace asio = boost::asio;

// Echoes sent per turn of the loop. Between batches the loop reads replies: on a fast path they
// arrive while we still send, and a socket's receive buffer holds only a few hundred.
constexpr std::size_t kSendBatch = 64;
// Datagrams read per wake-up before timers and other sockets get a turn.
constexpr std::size_t kMaxDrain = 256;
// Our replies are 40 bytes with an IPv4 header; anything cut short by this is not ours.
constexpr std::size_t kRecvBufferSize = 1024;

ProbeResult failure(Error e) {
  ProbeResult r;
  r.error = std::move(e);
  return r;
}

void post_done(asio::io_context& io, const IcmpChannel::Alive& alive, IcmpChannel::Done done,
               ProbeResult result) {
  asio::post(io, [alive, done = std::move(done), result = std::move(result)] {
    if (alive.lock()) done(result);
  });
}

bool is_unscoped_link_local(const Endpoint& e) {
  const auto& a = e.address();
  return e.family() == IpFamily::kIPv6 && a[0] == 0xfe && (a[1] & 0xc0) == 0x80 &&
         e.scope_id() == 0;
}

}  // namespace

IcmpChannel::IcmpChannel(asio::io_context& io, Alive alive, std::string interface, IpFamily family,
                         const IcmpSocket& s, std::uint16_t id, std::shared_ptr<SendPacer> pacer)
    : io_(io),
      alive_(std::move(alive)),
      interface_(std::move(interface)),
      family_(family),
      kind_(s.kind),
      ifindex_(s.ifindex),
      id_(id),
      next_seq_(id),  // any start will do; a random one keeps a restarted daemon's apart
      // We created the fd, so the descriptor owns and closes it (unlike a c-ares or libmnl fd,
      // which belongs to that library and must be release()d, never closed by asio).
      fd_(io, s.fd),
      pacer_(std::move(pacer)),
      pace_timer_(io),
      buffer_(kRecvBufferSize) {}

void IcmpChannel::start(Endpoint target, std::chrono::milliseconds timeout, std::uint64_t nonce,
                        Done done) {
  if (pending_.size() > 0xffff) {
    post_done(io_, alive_, std::move(done),
              failure(Error(ErrorCode::kTransient, interface_ + ": 65536 probes in flight")));
    return;
  }
  while (pending_.contains(next_seq_)) ++next_seq_;
  const std::uint16_t seq = next_seq_++;
  if (is_unscoped_link_local(target)) target = target.with_scope_id(ifindex_);
  target.set_port(0);  // raw(7): a non-zero sin6_port must equal the protocol, else EINVAL
  Pending& p = pending_.try_emplace(seq, io_).first->second;
  p.nonce = nonce;
  p.target = target;
  p.timeout = timeout;
  p.done = std::move(done);
  p.message = encode_echo_request(family_, {id_, seq, nonce});
  p.timer.expires_after(timeout);  // until sent; then again from the send
  arm_timeout(seq, nonce);
  queue_.push_back(seq);
  schedule_flush();
}

std::vector<IcmpChannel::Done> IcmpChannel::close() {
  std::vector<Done> dropped;
  for (auto& [seq, p] : pending_) dropped.push_back(std::move(p.done));
  closed_ = true;
  pending_.clear();  // destroys the timers, which cancels them
  queue_.clear();
  pace_timer_.cancel();
  boost::system::error_code ignored;
  fd_.close(ignored);
  return dropped;
}

void IcmpChannel::arm_timeout(std::uint16_t seq, std::uint64_t nonce) {
  // Re-arming replaces the pending wait, whose handler then sees operation_aborted.
  pending_.at(seq).timer.async_wait(
      [self = shared_from_this(), seq, nonce](boost::system::error_code ec) {
        if (!ec) self->on_timeout(seq, nonce);
      });
}

void IcmpChannel::finish(std::uint16_t seq, std::uint64_t nonce, ProbeResult result) {
  auto it = pending_.find(seq);
  if (it == pending_.end() || it->second.nonce != nonce) return;
  Done done = std::move(it->second.done);
  pending_.erase(it);
  done(result);  // last: it may start probes, forget the interface or destroy the prober
}

void IcmpChannel::on_timeout(std::uint16_t seq, std::uint64_t nonce) {
  auto it = pending_.find(seq);
  if (closed_ || it == pending_.end() || it->second.nonce != nonce) return;
  const Pending& p = it->second;
  // The wait may have completed just before send() re-armed the timer for the reply: then its
  // handler still runs, without an error, before the new deadline.
  if (p.timer.expiry() > Clock::now()) return;
  const std::string within = " within " + std::to_string(p.timeout.count()) + " ms";
  if (!p.sent) {
    finish(seq, nonce,
           failure(Error(ErrorCode::kTransient,
                         interface_ + ": echo to " + p.target.address_string() + " not sent" +
                             within + " (" + std::to_string(queue_.size()) +
                             " queued: too many probes for the send rate)")));
    return;
  }
  finish(seq, nonce,
         failure(Error(ErrorCode::kTimeout, "no echo reply from " + p.target.address_string() +
                                                " on " + interface_ + within)));
}

IcmpChannel::SendStatus IcmpChannel::send(std::uint16_t seq) {
  Pending& p = pending_.at(seq);
  sockaddr_storage to;
  const auto to_len = static_cast<socklen_t>(p.target.to_sockaddr(to));
  // Stamped before the call, as ping(8) does: on a busy box waking the WireGuard process can
  // preempt us inside sendto() for the whole round trip (lab: "RTTs" of 10 us vs 0.5 ms).
  const auto before = Clock::now();
  const ssize_t n = ::sendto(fd_.native_handle(), p.message.data(), p.message.size(),
                             MSG_DONTWAIT | MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&to), to_len);
  if (n >= 0) {
    p.sent = true;
    p.sent_at = before;
    p.timer.expires_at(p.sent_at + p.timeout);
    arm_timeout(seq, p.nonce);
    return SendStatus::kSent;
  }
  const int err = errno;
  if (err == EAGAIN || err == EWOULDBLOCK || err == EINTR) return SendStatus::kWouldBlock;
  Error e = send_error(err, interface_);
  if (e.code == ErrorCode::kNotFound) {  // the interface is gone, and every probe on it
    for (Done& d : close()) post_done(io_, alive_, std::move(d), failure(e));
  } else {
    finish(seq, p.nonce, failure(std::move(e)));
  }
  return SendStatus::kFailed;
}

void IcmpChannel::schedule_flush() {
  if (flush_posted_ || pacing_ || writing_ || closed_) return;
  flush_posted_ = true;
  asio::post(io_, [self = shared_from_this()] {
    self->flush_posted_ = false;
    if (!self->closed_) self->flush();
  });
}

void IcmpChannel::flush() {
  std::size_t allowed = pacer_->take(Clock::now(), std::min(kSendBatch, queue_.size()));
  while (allowed > 0 && !queue_.empty() && !closed_) {
    const std::uint16_t seq = queue_.front();
    queue_.pop_front();
    auto it = pending_.find(seq);
    if (it == pending_.end() || it->second.sent) continue;  // failed while queued
    if (send(seq) == SendStatus::kWouldBlock) {
      queue_.push_front(seq);
      arm_write();
      break;
    }
    --allowed;
  }
  arm_read();
  if (queue_.empty() || closed_ || writing_) return;
  const auto now = Clock::now();
  const auto next = pacer_->next_allowed(now);
  if (next <= now) {
    schedule_flush();  // another batch on the next turn: replies get read in between
  } else {
    arm_pace(next);
  }
}

void IcmpChannel::arm_pace(Clock::time_point when) {
  if (pacing_ || closed_) return;
  pacing_ = true;
  pace_timer_.expires_at(when);
  pace_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    self->pacing_ = false;
    if (!ec && !self->closed_) self->flush();
  });
}

void IcmpChannel::arm_write() {
  if (writing_ || closed_) return;
  writing_ = true;
  fd_.async_wait(asio::posix::descriptor_base::wait_write,
                 [self = shared_from_this()](boost::system::error_code ec) {
                   self->writing_ = false;
                   if (!ec && !self->closed_) self->flush();
                 });
}

void IcmpChannel::arm_read() {
  if (reading_ || closed_ || pending_.empty()) return;
  reading_ = true;
  fd_.async_wait(asio::posix::descriptor_base::wait_read,
                 [self = shared_from_this()](boost::system::error_code ec) {
                   self->reading_ = false;
                   if (!ec && !self->closed_) self->drain();
                 });
}

void IcmpChannel::drain() {
  const IcmpFraming framing = kind_ == IcmpSocketKind::kRaw && family_ == IpFamily::kIPv4
                                  ? IcmpFraming::kIPv4Header
                                  : IcmpFraming::kIcmpOnly;
  for (std::size_t i = 0; i < kMaxDrain && !closed_; ++i) {
    sockaddr_storage from;
    socklen_t from_len = sizeof from;
    const ssize_t n = ::recvfrom(fd_.native_handle(), buffer_.data(), buffer_.size(), MSG_DONTWAIT,
                                 reinterpret_cast<sockaddr*>(&from), &from_len);
    const auto now = Clock::now();
    if (n < 0) {
      if (errno == EINTR) continue;
      break;  // EAGAIN: drained. Anything else (a queued socket error) is consumed by the read.
    }
    auto parsed =
        parse_echo_reply(family_, framing, std::span(buffer_.data(), static_cast<std::size_t>(n)));
    if (!parsed || !*parsed) continue;  // malformed, or not an echo reply of ours
    const EchoFields& f = **parsed;
    auto it = pending_.find(f.seq);
    if (it == pending_.end()) continue;
    const Pending& p = it->second;
    // A raw socket sees every reply on the interface (other pingers' too), so the id must be
    // ours; on a ping socket the kernel chose the id and filtered by it already (icmp(7)).
    if (!p.sent || !reply_matches({id_, f.seq, p.nonce}, f, kind_ == IcmpSocketKind::kRaw)) {
      continue;
    }
    auto source = Endpoint::from_sockaddr(&from, from_len);
    if (!source || source->address() != p.target.address()) continue;
    ProbeResult ok;
    ok.ok = true;
    ok.rtt = now - p.sent_at;
    finish(f.seq, f.nonce, std::move(ok));
  }
  arm_read();
}

}  // namespace wgtrack
