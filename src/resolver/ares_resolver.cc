#include "resolver/ares_resolver.h"

#include <ares.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <map>
#include <utility>

#include "resolver/ares_answer.h"

namespace wgtrack {
namespace {

namespace asio = boost::asio;
using endpoint::DnsAnswer;
using endpoint::HostAnswer;

struct FileStamp {
  bool exists = false;
  std::int64_t mtime_ns = 0;
  std::uint64_t ino = 0;
  std::int64_t size = 0;
  friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

FileStamp stamp_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  return {true, static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
          static_cast<std::uint64_t>(st.st_ino), static_cast<std::int64_t>(st.st_size)};
}

struct Request {
  std::string host;
  Resolver::Done done;
  int remaining = 2;
  FamilyLookup v6, v4;
};

}  // namespace

struct AresResolver::Impl {
  // One c-ares socket. The descriptor never owns the fd: c-ares closes it, we release() it first
  // (c-ares tells us through sock_state_cb(fd, 0, 0) just before it closes).
  struct Watch {
    explicit Watch(asio::io_context& io) : sd(io) {}
    asio::posix::stream_descriptor sd;
    bool want_read = false, want_write = false;
    bool reading = false, writing = false;  // an async_wait is pending
    bool closed = false;
  };
  // The argument of one ares_getaddrinfo call.
  struct Query {
    Impl* impl;
    std::shared_ptr<Request> request;
    IpFamily family;
  };

  Impl(asio::io_context& context, AresResolverOptions opts)
      : io(context), options(std::move(opts)), timer(context) {
    library_ok = ares_library_init(ARES_LIB_INIT_ALL) == ARES_SUCCESS;
  }

  ~Impl() {
    destroy_channel();  // runs lookups' callbacks with ARES_EDESTRUCTION: they drop their request
    for (auto& [fd, w] : watches) release(*w);
    watches.clear();
    if (library_ok) ares_library_cleanup();
  }

  const std::string& resolv_conf_path() const {
    static const std::string kDefault = "/etc/resolv.conf";
    return options.resolv_conf.empty() ? kDefault : options.resolv_conf;
  }

  // Creates the channel if there is none; false with channel_error set if that failed.
  bool ensure_channel() {
    if (channel != nullptr) return true;
    if (!library_ok) {
      channel_error = "c-ares library init failed";
      return false;
    }
    ares_options o{};
    int mask = ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES;
    o.sock_state_cb = &Impl::on_sock_state;
    o.sock_state_cb_data = this;
    o.timeout = static_cast<int>(std::max<std::int64_t>(1, options.timeout.count()));
    o.tries = std::max(1, options.tries);
    std::string conf = resolv_conf_path();
    if (!options.resolv_conf.empty()) {
      o.resolvconf_path = conf.data();
      mask |= ARES_OPT_RESOLVCONF;
    }
    resolv_stamp = stamp_of(conf);
    ares_channel c = nullptr;
    int status = ares_init_options(&c, &o, mask);
    if (status != ARES_SUCCESS) {
      channel_error = std::string("c-ares init: ") + ares_strerror(status);
      if (c != nullptr) ares_destroy(c);
      return false;
    }
    if (!options.servers.empty()) {
      status = ares_set_servers_ports_csv(c, options.servers.c_str());
      if (status != ARES_SUCCESS) {
        channel_error = "DNS servers '" + options.servers + "': " + ares_strerror(status);
        ares_destroy(c);
        return false;
      }
    }
    channel = c;
    channel_error.clear();
    ++stats.channel_inits;
    return true;
  }

  void destroy_channel() {
    if (channel == nullptr) return;
    ares_channel c = channel;
    ares_destroy(c);  // closes its sockets through on_sock_state, which still needs `channel`
    channel = nullptr;
    timer.cancel();
  }

  // c-ares 1.18 reads resolv.conf once: rebuild the channel when it changed, between lookups.
  void maybe_reload() {
    if (channel == nullptr || in_flight != 0 || !options.servers.empty()) return;
    if (stamp_of(resolv_conf_path()) == resolv_stamp) return;
    destroy_channel();
  }

  static void on_sock_state(void* data, ares_socket_t fd, int readable, int writable) {
    static_cast<Impl*>(data)->sock_state(fd, readable != 0, writable != 0);
  }

  void sock_state(int fd, bool readable, bool writable) {
    auto it = watches.find(fd);
    if (!readable && !writable) {
      if (it != watches.end()) {
        release(*it->second);
        watches.erase(it);
      }
      return;
    }
    if (it == watches.end()) {
      auto w = std::make_shared<Watch>(io);
      boost::system::error_code ec;
      w->sd.assign(fd, ec);
      // An fd asio cannot watch: the lookup on it ends at its timeout (the timer still runs).
      if (ec) return;
      it = watches.emplace(fd, std::move(w)).first;
    }
    it->second->want_read = readable;
    it->second->want_write = writable;
    arm(fd, it->second);
  }

  static void release(Watch& w) {
    w.closed = true;
    boost::system::error_code ec;
    w.sd.cancel(ec);  // pending waits complete with operation_aborted and see `closed`
    (void)w.sd.release();
  }

  void arm(int fd, const std::shared_ptr<Watch>& w) {
    if (w->closed) return;
    if (w->want_read && !w->reading) {
      w->reading = true;
      w->sd.async_wait(
          asio::posix::descriptor_base::wait_read,
          [this, fd, w, a = std::weak_ptr<const bool>(alive)](boost::system::error_code ec) {
            if (!a.lock()) return;
            w->reading = false;
            if (ec || w->closed || !w->want_read) return;
            ares_process_fd(channel, fd, ARES_SOCKET_BAD);
            after_process();
            arm(fd, w);
          });
    }
    if (w->want_write && !w->writing) {
      w->writing = true;
      w->sd.async_wait(
          asio::posix::descriptor_base::wait_write,
          [this, fd, w, a = std::weak_ptr<const bool>(alive)](boost::system::error_code ec) {
            if (!a.lock()) return;
            w->writing = false;
            if (ec || w->closed || !w->want_write) return;
            ares_process_fd(channel, ARES_SOCKET_BAD, fd);
            after_process();
            arm(fd, w);
          });
    }
  }

  // After c-ares ran: follow its next timeout.
  void after_process() {
    if (channel == nullptr) return;
    timeval tv{};
    if (ares_timeout(channel, nullptr, &tv) == nullptr) {
      timer.cancel();
      return;
    }
    timer.expires_after(std::chrono::seconds(tv.tv_sec) + std::chrono::microseconds(tv.tv_usec));
    timer.async_wait([this, a = std::weak_ptr<const bool>(alive)](boost::system::error_code ec) {
      if (!a.lock() || ec || channel == nullptr) return;
      ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);  // expires timed-out tries
      after_process();
    });
  }

  static void on_addrinfo(void* arg, int status, int /*timeouts*/, ares_addrinfo* res) {
    std::unique_ptr<Query> q(static_cast<Query*>(arg));
    FamilyLookup f;
    f.status = status;
    if (status == ARES_SUCCESS && res != nullptr) f.addresses = addresses_from_addrinfo(res->nodes);
    if (res != nullptr) ares_freeaddrinfo(res);
    if (status == ARES_EDESTRUCTION) return;  // the resolver is going away: dropped
    Request& r = *q->request;
    (q->family == IpFamily::kIPv6 ? r.v6 : r.v4) = std::move(f);
    if (--r.remaining == 0) q->impl->finish(q->request);
  }

  // Both lookups of a host are done (possibly from inside ares_getaddrinfo or ares_process_fd):
  // everything that follows is posted.
  void finish(const std::shared_ptr<Request>& r) {
    --in_flight;
    CombinedAnswer c = combine_lookups(r->host, r->v6, r->v4);
    if (c.answer.ok()) {
      ++stats.answered;
      if (c.partial) ++stats.partial;
    } else if (endpoint::is_permanent_dns_error(c.answer.error())) {
      ++stats.permanent_errors;
    } else {
      ++stats.transient_errors;
    }
    deliver(r->host, std::move(r->done), std::move(c.answer), std::move(c.partial));
    asio::post(io, [this, a = std::weak_ptr<const bool>(alive)] {
      if (a.lock()) pump();
    });
  }

  void deliver(std::string host, Done done, HostAnswer answer, std::optional<Error> partial) {
    asio::post(io, [this, a = std::weak_ptr<const bool>(alive), host = std::move(host),
                    done = std::move(done), answer = std::move(answer),
                    partial = std::move(partial)]() mutable {
      if (!a.lock()) return;
      if (partial && options.on_partial) options.on_partial(host, *partial);
      done(std::move(answer));
    });
  }

  void pump() {
    while (in_flight < std::max<std::size_t>(1, options.max_in_flight) && !queue.empty()) {
      if (in_flight == 0) maybe_reload();
      if (!ensure_channel()) {
        // Every waiting request fails now; the next resolve() tries to init again.
        while (!queue.empty()) {
          auto r = std::move(queue.front());
          queue.pop_front();
          ++stats.transient_errors;
          deliver(r->host, std::move(r->done),
                  Error(ErrorCode::kTransient, r->host + ": " + channel_error), std::nullopt);
        }
        return;
      }
      auto r = std::move(queue.front());
      queue.pop_front();
      start(r);
    }
  }

  void start(const std::shared_ptr<Request>& r) {
    ++in_flight;
    for (IpFamily family : {IpFamily::kIPv6, IpFamily::kIPv4}) {
      ares_addrinfo_hints hints{};
      hints.ai_family = family == IpFamily::kIPv6 ? AF_INET6 : AF_INET;
      hints.ai_flags = ARES_AI_NOSORT;  // DNS order; sorting would connect() a socket per address
      hints.ai_socktype = SOCK_DGRAM;
      ares_getaddrinfo(channel, r->host.c_str(), nullptr, &hints, &Impl::on_addrinfo,
                       new Query{this, r, family});
    }
    after_process();
  }

  asio::io_context& io;
  AresResolverOptions options;
  bool library_ok = false;
  ares_channel channel = nullptr;
  std::string channel_error;
  FileStamp resolv_stamp;
  std::map<int, std::shared_ptr<Watch>> watches;
  asio::steady_timer timer;
  std::deque<std::shared_ptr<Request>> queue;
  std::size_t in_flight = 0;
  AresResolverStats stats;
  std::shared_ptr<const bool> alive = std::make_shared<const bool>(true);
};

AresResolver::AresResolver(asio::io_context& io, AresResolverOptions options)
    : impl_(std::make_unique<Impl>(io, std::move(options))) {}

AresResolver::~AresResolver() {
  impl_->alive.reset();  // posted completions and pending waits see it and do nothing
}

void AresResolver::resolve(const std::string& host, Done done) {
  Impl& im = *impl_;
  // IP literals need no lookup (TTL 0: nothing to re-resolve).
  if (auto literal = Endpoint::parse_address(host, 0); literal) {
    ++im.stats.answered;
    im.deliver(host, std::move(done), DnsAnswer{{{*literal, std::chrono::seconds(0)}}},
               std::nullopt);
    return;
  }
  if (host.empty()) {
    ++im.stats.permanent_errors;
    im.deliver(host, std::move(done), Error(ErrorCode::kPermanent, "empty host name"),
               std::nullopt);
    return;
  }
  auto r = std::make_shared<Request>();
  r->host = host;
  r->done = std::move(done);
  im.queue.push_back(std::move(r));
  im.pump();
}

AresResolverStats AresResolver::stats() const { return impl_->stats; }
std::size_t AresResolver::in_flight() const { return impl_->in_flight; }
std::size_t AresResolver::queued() const { return impl_->queue.size(); }
std::size_t AresResolver::watched_fds() const { return impl_->watches.size(); }

}  // namespace wgtrack
