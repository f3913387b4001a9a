// Prober: the narrow seam for in-tunnel echo probes (docs/architecture.md rule 3). The daemon
// holds a Prober&; production wires an IcmpProber (icmp_prober.h), tests a FakeProber
// (tests/support/fake_prober.h).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "core/endpoint.h"
#include "core/result.h"

namespace wgtrack {

struct ProbeRequest {
  // The WireGuard interface the echo must leave (and return) through; "" for a routed echo
  // that follows the routing table (endpoint candidates are probed outside the tunnel).
  std::string interface;
  Endpoint target;  // address inside the tunnel (probe_target.h); the port is ignored
  std::chrono::milliseconds timeout{1000};  // from the probe() call to giving up
};

struct ProbeResult {
  bool ok = false;
  std::chrono::nanoseconds rtt{0};  // ok only: send to reply, as seen by the process
  // !ok only. The peer did not answer ("lost", counts against the peer):
  //   kTimeout    sent, and no reply in time;
  //   kPermanent  the tunnel had nowhere to send it (kernel WireGuard: no peer for the target,
  //               the peer has no endpoint; the interface is down).
  // We could not probe (says nothing about the peer; make it visible, do not count it):
  //   kPermissionDenied (no CAP_NET_RAW and ping sockets not allowed), kNotFound (no such
  //   interface, or it went away), kInvalidInput, kUnsupported, kTransient (buffers full,
  //   65,536 probes in flight on one socket).
  std::optional<Error> error;

  bool lost() const {
    return !ok && error &&
           (error->code == ErrorCode::kTimeout || error->code == ErrorCode::kPermanent);
  }
};

class Prober {
 public:
  virtual ~Prober() = default;

  // Starts one probe. `done` runs exactly once, later, on the caller's event loop, never from
  // inside probe() itself — unless the prober is destroyed first, in which case it never runs.
  // Many probes may be in flight at once, to the same or different targets.
  virtual void probe(const ProbeRequest& request, std::function<void(const ProbeResult&)> done) = 0;

  // The interface is gone (or was re-created): drop its sockets; probes in flight on it
  // complete with kNotFound. The next probe on that name opens new sockets.
  virtual void forget(const std::string& interface) = 0;
};

}  // namespace wgtrack
