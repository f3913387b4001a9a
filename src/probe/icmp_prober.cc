#include "probe/icmp_prober.h"

#include <unistd.h>

#include <boost/asio/post.hpp>
#include <map>
#include <random>
#include <utility>

#include "probe/icmp_channel.h"
#include "probe/icmp_socket.h"

namespace wgtrack {
namespace {

namespace asio = boost::asio;
using Done = IcmpChannel::Done;

void post_failure(asio::io_context& io, const IcmpChannel::Alive& alive, Done done, Error e) {
  asio::post(io, [alive, done = std::move(done), e = std::move(e)] {
    if (!alive.lock()) return;  // the prober is gone: its callbacks never run
    ProbeResult r;
    r.error = e;
    done(r);
  });
}

}  // namespace

const char* to_string(IcmpSocketKind kind) { return kind == IcmpSocketKind::kRaw ? "raw" : "ping"; }

struct IcmpProber::Impl {
  Impl(asio::io_context& context, IcmpProberOptions opts)
      : io(context), options(opts), rng(std::random_device{}()) {}

  std::shared_ptr<SendPacer>& pacer(const std::string& interface) {
    auto& p = pacers[interface];
    if (!p) p = std::make_shared<SendPacer>(options.burst, options.per_second);
    return p;
  }

  asio::io_context& io;
  IcmpProberOptions options;
  std::map<std::string, std::shared_ptr<SendPacer>> pacers;  // by interface
  std::shared_ptr<const bool> alive = std::make_shared<const bool>(true);
  std::map<std::pair<std::string, IpFamily>, std::shared_ptr<IcmpChannel>> channels;
  std::mt19937_64 rng;  // nonces and ids: unguessable enough that strays never match
};

IcmpProber::IcmpProber(asio::io_context& io, IcmpProberOptions options)
    : impl_(std::make_unique<Impl>(io, options)) {}

IcmpProber::~IcmpProber() {
  for (auto& [key, channel] : impl_->channels) (void)channel->close();
}

void IcmpProber::probe(const ProbeRequest& request, Done done) {
  const IpFamily family = request.target.family();
  auto key = std::make_pair(request.interface, family);
  auto it = impl_->channels.find(key);
  if (it != impl_->channels.end() && it->second->closed()) {
    impl_->channels.erase(it);
    it = impl_->channels.end();
  }
  if (it == impl_->channels.end()) {
    // A failure is not cached: the operator may grant the capability, widen the sysctl or
    // create the interface while we run, and a failed open costs two syscalls.
    auto s = open_icmp_socket(request.interface, family);
    if (!s) {
      post_failure(impl_->io, impl_->alive, std::move(done), s.error());
      return;
    }
    std::shared_ptr<IcmpChannel> channel;
    try {  // registering the fd with the reactor (epoll_ctl) is the one step asio may throw from
      channel = std::make_shared<IcmpChannel>(impl_->io, impl_->alive, request.interface, family,
                                              *s, static_cast<std::uint16_t>(impl_->rng()),
                                              impl_->pacer(request.interface));
    } catch (const std::exception& e) {
      ::close(s->fd);
      post_failure(impl_->io, impl_->alive, std::move(done),
                   Error(ErrorCode::kTransient, request.interface + ": " + e.what()));
      return;
    }
    it = impl_->channels.emplace(std::move(key), std::move(channel)).first;
  }
  it->second->start(request.target, request.timeout, impl_->rng(), std::move(done));
}

void IcmpProber::forget(const std::string& interface) {
  for (auto it = impl_->channels.begin(); it != impl_->channels.end();) {
    if (it->first.first != interface) {
      ++it;
      continue;
    }
    for (Done& d : it->second->close()) {
      post_failure(impl_->io, impl_->alive, std::move(d),
                   Error(ErrorCode::kNotFound, interface + ": interface forgotten"));
    }
    it = impl_->channels.erase(it);
  }
  impl_->pacers.erase(interface);
}

std::optional<IcmpSocketKind> IcmpProber::socket_kind(std::string_view interface,
                                                      IpFamily family) const {
  auto it = impl_->channels.find(std::make_pair(std::string(interface), family));
  if (it == impl_->channels.end() || it->second->closed()) return std::nullopt;
  return it->second->kind();
}

std::size_t IcmpProber::in_flight() const {
  std::size_t n = 0;
  for (const auto& [key, channel] : impl_->channels) n += channel->in_flight();
  return n;
}

}  // namespace wgtrack
