// AresResolver: the Resolver over c-ares, on the caller's single-threaded io_context. No thread
// (c-ares has none; asio's async_resolve and getaddrinfo_a would), and every record's TTL kept.
//
// - Each host is two ares_getaddrinfo lookups (AF_INET6, AF_INET; /etc/hosts, then DNS with the
//   search domains of resolv.conf, as wg-quick's getaddrinfo would), combined by
//   combine_lookups(): partial answers (A ok, AAAA timed out) are answers, and reported through
//   AresResolverOptions::on_partial and stats().partial.
// - c-ares sockets are watched through ARES_OPT_SOCK_STATE_CB with asio stream_descriptors that
//   never own the fd (release()d when c-ares closes it); one steady_timer follows ares_timeout().
// - c-ares may complete a lookup from inside ares_getaddrinfo(); `done` is always posted.
// - The resolver's own trouble (channel init fails, no servers, an fd asio cannot watch) is a
//   kTransient answer, never an exception, never the end of the loop. A failed init is retried at
//   the next resolve().
// - c-ares 1.18 never re-reads resolv.conf: when no servers are given, the channel is rebuilt
//   when resolv.conf changed (mtime, inode, size) and no lookup is in flight.
// - Requests beyond max_in_flight wait in FIFO order.
// Asio and c-ares stay out of this header.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "resolver/resolver.h"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace wgtrack {

struct AresResolverOptions {
  // Per try. c-ares doubles it for each round over the server list, so with one server a lookup
  // gives up after about timeout * (2^tries - 1): 2 s + 4 s with these defaults.
  std::chrono::milliseconds timeout{2000};
  int tries = 2;
  // "192.0.2.53:5353,[2001:db8::53]:53" (ares_set_servers_ports_csv): these servers instead of
  // resolv.conf's. Empty: resolv.conf's (and its search domains, ndots).
  std::string servers;
  // The resolv.conf to read (tests); empty: /etc/resolv.conf.
  std::string resolv_conf;
  // Hosts resolving at once; more wait in order.
  std::size_t max_in_flight = 64;
  // Called (on the loop, just before `done`) for an answer that misses a family because its
  // lookup failed transiently; `missing` says which and why.
  std::function<void(const std::string& host, const Error& missing)> on_partial;
};

struct AresResolverStats {
  std::uint64_t answered = 0;  // hosts with at least one address
  std::uint64_t partial = 0;   // of which one family failed transiently
  std::uint64_t permanent_errors = 0;
  std::uint64_t transient_errors = 0;
  std::uint64_t channel_inits = 0;  // c-ares channels created (1 + resolv.conf reloads)
};

class AresResolver final : public Resolver {
 public:
  // `io` must outlive the resolver. Requests in flight when it is destroyed are dropped: their
  // callbacks never run.
  explicit AresResolver(boost::asio::io_context& io, AresResolverOptions options = {});
  ~AresResolver() override;
  AresResolver(const AresResolver&) = delete;
  AresResolver& operator=(const AresResolver&) = delete;

  void resolve(const std::string& host, Done done) override;

  AresResolverStats stats() const;
  std::size_t in_flight() const;  // hosts being resolved now
  std::size_t queued() const;     // hosts waiting for a slot
  std::size_t watched_fds() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wgtrack
