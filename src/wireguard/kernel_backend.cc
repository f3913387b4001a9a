#include "wireguard/kernel_backend.h"

#include <linux/netlink.h>
#include <net/if.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "wireguard/netlink_codec.h"
#include "wireguard/netlink_message.h"
#include "wireguard/x25519.h"

namespace wgtrack {

using Clock = std::chrono::steady_clock;

namespace {

// 64 KiB covers every dump message: the kernel sizes them from our recvmsg buffer but caps
// them at 32 KiB (af_netlink.c netlink_dump); a bigger datagram grows the buffer (MSG_TRUNC).
constexpr std::size_t kReceiveBuffer = 64 * 1024;

Error sys_error(int err, std::string_view what) {
  std::string m(what);
  m += ": ";
  const char* desc = strerrordesc_np(err);
  m += desc ? desc : "errno " + std::to_string(err);
  switch (err) {
    case EPERM:
    case EACCES:
      return Error(ErrorCode::kPermissionDenied, std::move(m));
    case EAFNOSUPPORT:
    case EPROTONOSUPPORT:
      return Error(ErrorCode::kUnsupported, m + " (kernel without netlink support)");
    default:  // EMFILE, ENFILE, ENOBUFS (receive queue overrun), ENOMEM, EAGAIN, ...
      return Error(ErrorCode::kTransient, std::move(m));
  }
}

}  // namespace

// One netlink socket for one call: non-blocking, close-on-exec, bounded waits.
class KernelBackend::Socket {
 public:
  explicit Socket(int fd) : fd_(fd), buf_(kReceiveBuffer) {}
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket() {
    secure_zero(buf_.data(), buf_.size());
    ::close(fd_);
  }

  static Result<std::unique_ptr<Socket>> open(int protocol) {
    const int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, protocol);
    if (fd < 0) return sys_error(errno, "opening a netlink socket");
    auto s = std::make_unique<Socket>(fd);
    sockaddr_nl local{};
    local.nl_family = AF_NETLINK;  // nl_pid 0: the kernel assigns our port id
    if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0)
      return sys_error(errno, "binding a netlink socket");
    const int one = 1;  // extended acks: the kernel explains an EINVAL (optional, 4.12+)
    (void)::setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
    return s;
  }

  Result<void> send(std::span<const std::uint8_t> msg) {
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    for (;;) {
      const ssize_t n = ::sendto(fd_, msg.data(), msg.size(), 0,
                                 reinterpret_cast<sockaddr*>(&kernel), sizeof kernel);
      if (n == static_cast<ssize_t>(msg.size())) return success();
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return sys_error(errno, "sending a netlink request");
      return Error(ErrorCode::kTransient, "short netlink send");
    }
  }

  // The next datagram from the kernel. The span stays valid until the next receive(); call
  // wipe() once it has been parsed.
  Result<std::span<const std::uint8_t>> receive(Clock::time_point deadline) {
    for (;;) {
      const auto left =
          std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) return Error(ErrorCode::kTimeout, "the kernel did not answer in time");
      pollfd p{fd_, POLLIN, 0};
      const int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1 << 30)));
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) return sys_error(errno, "waiting for netlink");
      if (r == 0) return Error(ErrorCode::kTimeout, "the kernel did not answer in time");

      sockaddr_nl from{};
      socklen_t from_len = sizeof from;
      ssize_t n = ::recvfrom(fd_, buf_.data(), buf_.size(), MSG_PEEK | MSG_TRUNC,
                             reinterpret_cast<sockaddr*>(&from), &from_len);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n < 0) return sys_error(errno, "receiving from netlink");
      if (static_cast<std::size_t>(n) > buf_.size()) {
        std::vector<std::uint8_t> bigger(static_cast<std::size_t>(n));
        secure_zero(buf_.data(), buf_.size());
        buf_.swap(bigger);
      }
      from_len = sizeof from;
      n = ::recvfrom(fd_, buf_.data(), buf_.size(), 0, reinterpret_cast<sockaddr*>(&from),
                     &from_len);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n < 0) return sys_error(errno, "receiving from netlink");
      used_ = static_cast<std::size_t>(n);
      // Any local process may unicast to our port id: only the kernel (port 0) is heard.
      if (from_len < sizeof from || from.nl_family != AF_NETLINK || from.nl_pid != 0) {
        wipe();
        continue;
      }
      return std::span<const std::uint8_t>(buf_.data(), used_);
    }
  }

  void wipe() {
    secure_zero(buf_.data(), used_);
    used_ = 0;
  }

 private:
  int fd_;
  std::vector<std::uint8_t> buf_;
  std::size_t used_ = 0;
};

KernelBackend::KernelBackend(std::chrono::milliseconds timeout)
    : timeout_(timeout),
      // Not 0, and unlikely to repeat across restarts (as wg(8) seeds with time()).
      seq_(static_cast<std::uint32_t>(Clock::now().time_since_epoch().count()) | 1u) {}

Result<std::uint16_t> KernelBackend::family(Socket& socket, Clock::time_point deadline) {
  if (family_) return *family_;
  const auto seq = next_seq();
  if (auto r = socket.send(encode_genl_get_family(seq)); !r) return r.error();
  auto datagram = socket.receive(deadline);
  if (!datagram) return datagram.error().context("resolving generic netlink family wireguard");
  auto id = decode_genl_get_family(*datagram, seq);
  socket.wipe();
  if (id) family_ = *id;
  return id;
}

Result<std::vector<InterfaceRef>> KernelBackend::list_interfaces() {
  const auto deadline = Clock::now() + timeout_;
  for (int attempt = 0; attempt <= kMaxDumpRestarts; ++attempt) {
    auto socket = Socket::open(NETLINK_ROUTE);
    if (!socket) return socket.error();
    const auto seq = next_seq();
    if (auto r = (*socket)->send(encode_rtm_getlink_dump(seq)); !r) return r.error();
    WgLinkDumpAssembler links(seq);
    for (;;) {
      auto datagram = (*socket)->receive(deadline);
      if (!datagram) return datagram.error().context("listing network interfaces");
      auto status = links.feed(*datagram);
      (*socket)->wipe();
      if (!status) return status.error();
      if (*status == DumpStatus::kMore) continue;
      if (*status == DumpStatus::kInterrupted) break;  // restart on a fresh socket
      std::vector<InterfaceRef> out;
      for (auto& l : links.take_links()) out.push_back({std::move(l.name), BackendKind::kKernel});
      std::sort(out.begin(), out.end(),
                [](const InterfaceRef& a, const InterfaceRef& b) { return a.name < b.name; });
      return out;
    }
  }
  return Error(ErrorCode::kTransient, "listing network interfaces: link dump interrupted " +
                                          std::to_string(kMaxDumpRestarts + 1) + " times");
}

// The kernel gives a link-local endpoint's scope as an interface index; people (and wg(8))
// name it: [fe80::1%eth0]. Resolved here, in the caller's namespace, as wg(8) does; the index
// stays when the interface has no name any more.
void KernelBackend::name_scopes(Device& device) {
  for (Peer& p : device.peers) {
    if (!p.endpoint || p.endpoint->scope_id() == 0) continue;
    char buf[IF_NAMESIZE];
    if (::if_indextoname(p.endpoint->scope_id(), buf) != nullptr) {
      p.endpoint = p.endpoint->with_zone(buf);
    }
  }
}

Result<Device> KernelBackend::get_device(std::string_view name) {
  if (!netlink::valid_ifname(name))
    return Error(ErrorCode::kInvalidInput,
                 "invalid interface name '" + netlink::printable(name) + "'");
  const std::string what = "reading WireGuard interface '" + std::string(name) + "'";
  const auto deadline = Clock::now() + timeout_;
  bool refreshed_family = false;
  for (int attempt = 0; attempt <= kMaxDumpRestarts; ++attempt) {
    auto socket = Socket::open(NETLINK_GENERIC);
    if (!socket) return socket.error();
    const bool cached = family_.has_value();
    auto fam = family(**socket, deadline);
    if (!fam) return fam.error();
    const auto seq = next_seq();
    auto request = encode_wg_get_device(*fam, seq, name);
    if (!request) return request.error();
    if (auto r = (*socket)->send(*request); !r) return r.error();
    WgDeviceDumpAssembler dump(*fam, seq, name);
    for (;;) {
      auto datagram = (*socket)->receive(deadline);
      if (!datagram) return datagram.error().context(what);
      auto status = dump.feed(*datagram);
      (*socket)->wipe();
      if (!status) {
        // ENOENT from genl: no family with our cached id (wireguard.ko reloaded): resolve again.
        if (dump.kernel_errno() == ENOENT && cached && !refreshed_family) {
          family_.reset();
          refreshed_family = true;
          break;
        }
        return status.error();
      }
      if (*status == DumpStatus::kMore) continue;
      if (*status == DumpStatus::kInterrupted) break;
      Device device = dump.take_device();
      name_scopes(device);
      return device;
    }
  }
  return Error(ErrorCode::kTransient,
               what + ": dump interrupted " + std::to_string(kMaxDumpRestarts + 1) + " times");
}

Result<void> KernelBackend::update_peer_endpoint(std::string_view name,
                                                 const PeerEndpointUpdate& update) {
  PeerEndpointUpdate resolved = update;
  if (const auto zone = update.endpoint.zone(); !zone.empty()) {
    // The scope of a link-local endpoint is an interface index on the wire (sin6_scope_id).
    const unsigned index = ::if_nametoindex(std::string(zone).c_str());
    if (index == 0)
      return Error(ErrorCode::kNotFound,
                   "endpoint scope: no interface named '" + std::string(zone) + "'");
    resolved.endpoint = update.endpoint.with_scope_id(index);
  }
  const std::string what = "setting an endpoint on WireGuard interface '" + std::string(name) + "'";
  const auto deadline = Clock::now() + timeout_;
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto socket = Socket::open(NETLINK_GENERIC);
    if (!socket) return socket.error();
    const bool cached = family_.has_value();
    auto fam = family(**socket, deadline);
    if (!fam) return fam.error();
    const auto seq = next_seq();
    auto request = encode_wg_set_endpoint(*fam, seq, name, resolved);
    if (!request) return request.error();
    if (auto r = (*socket)->send(*request); !r) return r.error();
    auto datagram = (*socket)->receive(deadline);
    if (!datagram) return datagram.error().context(what);
    int kernel_errno = 0;
    auto ack = decode_netlink_ack(*datagram, seq, what, &kernel_errno);
    if (!ack && kernel_errno == ENOENT && cached && attempt == 0) {
      family_.reset();  // stale family id: resolve again once
      continue;
    }
    return ack;
  }
  return Error(ErrorCode::kNotFound, what + ": wireguard family vanished");
}

}  // namespace wgtrack
