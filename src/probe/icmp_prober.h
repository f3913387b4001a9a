// IcmpProber: ICMP/ICMPv6 echo from the daemon itself, through a WireGuard interface, on the
// caller's single-threaded io_context. No subprocess, no thread, nothing blocks.
//
// - One socket per (interface, family), opened on first use and bound to the interface with
//   SO_BINDTODEVICE: the echo leaves through the tunnel whatever the routing table says, and only
//   replies that came back through it are seen.
// - Echoes leave paced per interface (IcmpProberOptions); the timeout runs from the send, and a
//   probe that could not be sent within its timeout fails with kTransient, never as lost.
// - A raw socket (needs CAP_NET_RAW) is preferred; without it, an unprivileged ping socket
//   (SOCK_DGRAM, allowed when net.ipv4.ping_group_range covers our gid; the same knob covers
//   ICMPv6). Neither: every probe on it fails with kPermissionDenied, and the next probe tries
//   again (the operator may fix the sysctl while we run).
// - Replies are matched by sequence number, nonce (icmp_codec.h), source address and, on raw
//   sockets, our echo id. Each probe has its own timer.
// Asio stays out of this header (compile time): the io_context is only forward-declared.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/endpoint.h"
#include "probe/prober.h"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace wgtrack {

// Send pacing per interface (send_pacer.h says why). The defaults send 10,000 peers' probes in
// 2 s. In the lab (2 cores, wireguard-go at both ends) 1,000 echoes to one peer at 10,000/s
// after a burst of 256 lost 1-60 in the far side's UDP receive buffer (RcvbufErrors); at these
// defaults, none.
struct IcmpProberOptions {
  std::size_t burst = 64;
  std::uint32_t per_second = 5'000;
};

enum class IcmpSocketKind : std::uint8_t { kRaw, kPing };
const char* to_string(IcmpSocketKind kind);  // "raw" / "ping"

class IcmpProber final : public Prober {
 public:
  // `io` must outlive this prober. Probes in flight when it is destroyed are dropped: their
  // callbacks never run.
  explicit IcmpProber(boost::asio::io_context& io, IcmpProberOptions options = {});
  ~IcmpProber() override;
  IcmpProber(const IcmpProber&) = delete;
  IcmpProber& operator=(const IcmpProber&) = delete;

  void probe(const ProbeRequest& request, std::function<void(const ProbeResult&)> done) override;
  void forget(const std::string& interface) override;

  // The kind of the open socket for (interface, family); nullopt if none is open.
  std::optional<IcmpSocketKind> socket_kind(std::string_view interface, IpFamily family) const;
  // Probes sent and not yet completed, over all sockets.
  std::size_t in_flight() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wgtrack
