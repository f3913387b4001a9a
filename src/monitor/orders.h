// What the Monitor asks the edge to do, and the log lines it wants written. The Monitor decides;
// the daemon's ActionRunner carries these out and hands every answer back to the Monitor
// (Monitor::resolved / probed / write_done / tick), which answers with more of the same.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <string>
#include <vector>

#include "core/endpoint.h"
#include "core/host_port.h"
#include "core/public_key.h"
#include "endpoint/selection.h"
#include "events/event.h"

namespace wgtrack {

// One peer of one interface.
struct PeerRef {
  std::string interface;
  PublicKey peer;
  friend auto operator<=>(const PeerRef&, const PeerRef&) = default;
  friend bool operator==(const PeerRef&, const PeerRef&) = default;
};

// An in-tunnel probe to send now.
struct ProbeOrder {
  std::string interface;
  PublicKey peer;
  Endpoint target;  // port 0
  std::chrono::milliseconds timeout;
};

// Endpoint recovery's orders.
struct RecoveryOrders {
  struct Resolve {  // A and AAAA of the host's name; answer with Monitor::resolved
    PeerRef peer;
    HostPort host;
  };
  struct CandidateProbes {  // routed ICMP echoes (outside the tunnel) at their start times;
    PeerRef peer;           // answer each with Monitor::probed
    std::uint64_t round = 0;
    std::vector<endpoint::ProbeStart> probes;
  };
  struct Write {  // the peer's key + endpoint, update-only; answer with Monitor::write_done
    PeerRef peer;
    Endpoint endpoint;
  };
  std::vector<Resolve> resolves;
  std::vector<CandidateProbes> probes;
  std::vector<Write> writes;
  // In-tunnel probes through an endpoint being confirmed (their packet also makes WireGuard
  // start a handshake when one is due); answer each with Monitor::probe_answered. They are
  // ordinary probes of the peer: counted and health evidence.
  std::vector<ProbeOrder> traffic;
  // Interfaces to read now (an early cycle): evidence arrived that the next read settles.
  std::vector<std::string> reads;

  bool empty() const {
    return resolves.empty() && probes.empty() && writes.empty() && traffic.empty() && reads.empty();
  }
};

struct LogLine {
  enum class Level : std::uint8_t { kInfo, kWarning };
  Level level = Level::kInfo;
  std::string text;
};

// What an answer between cycles (DNS, candidate probe, write, timer) leads to.
struct RecoveryOutput {
  std::vector<Event> events;
  RecoveryOrders orders;
  std::vector<LogLine> log;
};

}  // namespace wgtrack
