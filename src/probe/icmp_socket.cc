#include "probe/icmp_socket.h"

#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

// After the glibc headers: <linux/icmp.h> also defines struct icmphdr, so never together with
// <netinet/ip_icmp.h>. We need only ICMP_FILTER and struct icmp_filter from it.
#include <linux/icmp.h>

namespace wgtrack {
namespace {

constexpr int kIcmpReceiveBuffer = 4 << 20;  // bytes; the kernel doubles it for bookkeeping

// IFNAMSIZ - 1 bytes, no '/', whitespace or ':' (the kernel's dev_valid_name).
bool valid_interface_name(std::string_view n) {
  if (n.empty() || n.size() >= IFNAMSIZ || n == "." || n == "..") return false;
  for (char c : n) {
    if (c == '/' || c == ':' || static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return false;
  }
  return true;
}

std::string errno_text(int err) { return std::strerror(err); }

std::string ping_group_range() {
  std::ifstream f("/proc/sys/net/ipv4/ping_group_range");
  std::string lo, hi;
  if (!(f >> lo >> hi)) return "unknown";
  return lo + " " + hi;
}

// Only echo replies wake us: a raw socket otherwise also gets every other ICMP message the
// interface receives (the peer's own pings to us, unreachables). ICMP_FILTER: raw(7);
// ICMP6_FILTER: RFC 3542 §3.2. Best effort: matching does not depend on it.
void install_filter(int fd, IpFamily family) {
  if (family == IpFamily::kIPv4) {
    icmp_filter filter{};
    filter.data = ~(1U << ICMP_ECHOREPLY);  // a set bit blocks that type
    (void)::setsockopt(fd, SOL_RAW, ICMP_FILTER, &filter, sizeof filter);
  } else {
    icmp6_filter filter;
    ICMP6_FILTER_SETBLOCKALL(&filter);
    ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &filter);
    (void)::setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof filter);
  }
}

}  // namespace

Result<IcmpSocket> open_icmp_socket(std::string_view interface, IpFamily family) {
  if (!interface.empty() && !valid_interface_name(interface)) {
    return Error(ErrorCode::kInvalidInput,
                 "invalid interface name '" + std::string(interface) + "'");
  }
  const std::string name = interface.empty() ? std::string("(routed)") : std::string(interface);
  const int domain = family == IpFamily::kIPv4 ? AF_INET : AF_INET6;
  const int proto = family == IpFamily::kIPv4 ? int{IPPROTO_ICMP} : int{IPPROTO_ICMPV6};
  const char* fam = family == IpFamily::kIPv4 ? "ICMP" : "ICMPv6";

  IcmpSocket s;
  s.fd = ::socket(domain, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
  int raw_err = s.fd < 0 ? errno : 0;
  if (s.fd < 0 && (raw_err == EPERM || raw_err == EACCES)) {
    // icmp(7) "ping sockets": allowed when our gid is inside net.ipv4.ping_group_range of this
    // network namespace (the kernel's default "1 0" allows nobody, not even root).
    s.kind = IcmpSocketKind::kPing;
    s.fd = ::socket(domain, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
    if (s.fd < 0 && (errno == EPERM || errno == EACCES)) {
      return Error(ErrorCode::kPermissionDenied,
                   name + ": cannot open an " + fam + " socket: a raw socket needs CAP_NET_RAW, " +
                       "a ping socket needs gid " + std::to_string(::getgid()) +
                       " in net.ipv4.ping_group_range (now \"" + ping_group_range() + "\")");
    }
    raw_err = s.fd < 0 ? errno : 0;
  }
  if (s.fd < 0) {
    if (raw_err == EAFNOSUPPORT || raw_err == EPROTONOSUPPORT) {
      return Error(ErrorCode::kUnsupported, name + ": " + fam + " sockets: " + errno_text(raw_err));
    }
    return Error(ErrorCode::kTransient, name + ": " + fam + " socket: " + errno_text(raw_err));
  }
  // socket(7): SO_BINDTODEVICE makes the echo leave through the tunnel even when the routing
  // table would send the target elsewhere, and delivers only packets that arrived through it.
  // Unprivileged since Linux 5.7 (c427bfec18f2) as long as the socket is not bound yet.
  // No interface: a routed socket (endpoint candidates are probed outside the tunnel).
  if (!interface.empty() && ::setsockopt(s.fd, SOL_SOCKET, SO_BINDTODEVICE, name.c_str(),
                                         static_cast<socklen_t>(name.size())) != 0) {
    const int err = errno;
    ::close(s.fd);
    if (err == ENODEV) return Error(ErrorCode::kNotFound, name + ": no such interface");
    if (err == EPERM || err == EACCES) {
      return Error(ErrorCode::kPermissionDenied,
                   name + ": binding an ICMP socket to the interface: " + errno_text(err));
    }
    return Error(ErrorCode::kTransient, name + ": SO_BINDTODEVICE: " + errno_text(err));
  }
  s.ifindex = interface.empty() ? 0 : ::if_nametoindex(name.c_str());
  // Room for a burst of replies (a hub probes thousands of peers per cycle; the default holds a
  // few hundred). SO_RCVBUFFORCE passes net.core.rmem_max with CAP_NET_ADMIN, which the daemon
  // has; otherwise SO_RCVBUF, capped by it. Best effort. socket(7).
  const int rcvbuf = kIcmpReceiveBuffer;
  if (::setsockopt(s.fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) != 0) {
    (void)::setsockopt(s.fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  }
  if (s.kind == IcmpSocketKind::kRaw) install_filter(s.fd, family);
  return s;
}

Error send_error(int err, std::string_view interface) {
  std::string m = std::string(interface) + ": sending the echo: " + errno_text(err);
  switch (err) {
    case ENODEV:
    case ENXIO:
      return Error(ErrorCode::kNotFound, std::move(m));
    // The tunnel had nowhere to send it: kernel WireGuard answers ENOKEY when no peer's
    // allowed IPs cover the target and EDESTADDRREQ when the peer has no endpoint
    // (drivers/net/wireguard/device.c, wg_xmit). Not retryable by us; the probe is lost.
    case ENOKEY:
    case EDESTADDRREQ:
    case EHOSTUNREACH:
    case ENETUNREACH:
    case ENETDOWN:
    case EHOSTDOWN:
      return Error(ErrorCode::kPermanent, std::move(m));
    case EPERM:
    case EACCES:
      return Error(ErrorCode::kPermissionDenied, m + " (a firewall rule?)");
    default:
      return Error(ErrorCode::kTransient, std::move(m));
  }
}

}  // namespace wgtrack
