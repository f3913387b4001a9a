// Opening the ICMP socket of one (interface, family) for IcmpProber. Internal to src/probe.
#pragma once

#include <string_view>

#include "core/endpoint.h"
#include "core/result.h"
#include "probe/icmp_prober.h"

namespace wgtrack {

struct IcmpSocket {
  int fd = -1;  // non-blocking, close-on-exec, bound to the interface; the caller owns it
  IcmpSocketKind kind = IcmpSocketKind::kRaw;
  unsigned ifindex = 0;  // scope for link-local IPv6 targets
};

// A raw socket if we may, else a ping socket. Errors: kInvalidInput (bad interface name),
// kNotFound (no such interface), kPermissionDenied (neither kind allowed; the message names
// CAP_NET_RAW and the ping_group_range in force), kUnsupported (family disabled), kTransient.
Result<IcmpSocket> open_icmp_socket(std::string_view interface, IpFamily family);

// Maps a sendto(2) errno to the error a probe completes with (see ProbeResult).
Error send_error(int err, std::string_view interface);

}  // namespace wgtrack
