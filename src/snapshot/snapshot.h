// Snapshot: an immutable, self-contained view of the daemon's state at the end of a cycle, for
// the state sinks (Prometheus, Influx, the JSON API) — docs/architecture.md rule 7: snapshot ->
// pure formatter -> transport. It owns copies of everything (no pointers into the Monitor), so
// the daemon can hand a std::shared_ptr<const Snapshot> to a slow HTTP client while the next
// cycle runs. It holds no secret: the WireGuard model it is built from has none (rule 9).
//
// Order is part of the contract, so formatters need not sort: interfaces by name, peers by
// the base64 text of their public key, endpoint-change reasons by reason.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/endpoint.h"
#include "core/public_key.h"
#include "probe/probe_target.h"
#include "snapshot/self_metrics.h"
#include "tracker/peer_health.h"
#include "wireguard/device.h"

namespace wgtrack {

// The health states a live peer can be in, in the order sinks list them (kRemoved is never
// in a snapshot: a removed peer is simply absent, so its series disappear).
inline constexpr std::array<PeerHealth, 5> kSnapshotStates = {
    PeerHealth::kNever, PeerHealth::kUp, PeerHealth::kIdle, PeerHealth::kStale, PeerHealth::kDown};

// True for the states in which the peer counts as "up" for wgtrack_peer_up / Influx is_up:
// up, idle (no evidence either way: a quiet peer is not a failure) and stale (the grace state:
// "no alarm yet", tracker/peer_health.h). 0 means down or never connected.
bool counts_as_up(PeerHealth health);

// In-tunnel probe counters of one peer since it was first seen (its record in the Monitor).
struct ProbeStats {
  std::uint64_t sent = 0;  // probes ordered
  std::uint64_t lost = 0;  // finished without a reply (timeout, unreachable)
  std::optional<std::chrono::nanoseconds> last_rtt;  // of the last answered probe
  int consecutive_failures = 0;  // from the health tracker; reset by any answered probe
  // Where in-tunnel probes go (port 0), and why there, or why there are none.
  std::optional<Endpoint> target;
  ProbeTargetSource target_source = ProbeTargetSource::kNoHostAllowedIp;
};

struct ReasonCount {
  std::string reason;  // Event::reason of an endpoint_changed event ("roamed", ...)
  std::uint64_t count = 0;
  friend bool operator==(const ReasonCount&, const ReasonCount&) = default;
};

// A candidate endpoint of a peer with endpoint recovery (endpoint/endpoint_manager.h
// CandidateStatus, converted to wall time and text so the Snapshot needs no endpoint types).
struct CandidateSnapshot {
  Endpoint endpoint;
  std::string host;                       // the configured host it came from
  std::string probe = "unknown";          // last ICMP probe: "unknown", "reachable", "unreachable"
  bool current = false;                   // the peer's endpoint right now
  int failures = 0;                       // failed switches to it since the last confirmed one
  std::optional<WallTime> backoff_until;  // set while in back-off
};

// wgtrack's last endpoint write for a peer (SwitchRecord; roams are not switches).
struct SwitchSnapshot {
  std::optional<Endpoint> from;
  Endpoint to;
  std::string reason;  // ChangeReason text, e.g. "failover"
  WallTime at{};
  std::string outcome = "pending";  // "pending", "confirmed", "failed", "aborted"
};

// A configured endpoint host and how its last resolution went (HostStatus).
struct HostSnapshot {
  std::string host;
  std::size_t addresses = 0;         // candidates it resolved to
  std::optional<std::string> error;  // the last resolution's error, if it failed
  bool permanent = false;            // that error will not go away by asking again soon
};

// Endpoint recovery facts of one peer; absent when the peer has no recovery (no host).
// Filled by build_snapshot from the peer record's EndpointManager (recovery_snapshot.h).
struct RecoverySnapshot {
  std::string phase = "idle";                 // "idle", "probing", "confirming"
  std::vector<CandidateSnapshot> candidates;  // in preference order
  std::vector<HostSnapshot> hosts;            // in configuration order
  std::optional<SwitchSnapshot> last_switch;
};

struct PeerSnapshot {
  PublicKey public_key;
  std::string key;   // public_key in base64 (44 chars), rendered once for every formatter
  std::string name;  // friendly name, "" when none is configured
  std::optional<Endpoint> endpoint;
  std::vector<IpPrefix> allowed_ips;
  std::optional<WallTime> last_handshake;  // nullopt: never
  std::uint64_t rx_bytes = 0;
  std::uint64_t tx_bytes = 0;
  std::uint16_t persistent_keepalive = 0;  // seconds, 0 = off
  PeerHealth health = PeerHealth::kNever;
  WallTime state_since{};  // wall time of the last state change (derived from the mono clock)
  // Age of the last handshake on the monotonic clock (never negative, see PeerHealthTracker).
  std::optional<std::chrono::nanoseconds> handshake_age;  // nullopt: never
  ProbeStats probes;
  std::vector<ReasonCount> endpoint_changes;  // sorted by reason; known reasons always present
  // Why the peer is in `health`: the reason of the event that put it there ("2 probes
  // failed", "daemon started", ...); "" when unknown.
  std::string reason;
  // Bytes per second since the previous snapshot (build_snapshot's `previous`), on the
  // monotonic clock. nullopt: no previous snapshot of this peer, or a counter went backwards.
  std::optional<double> rx_rate;
  std::optional<double> tx_rate;
  std::optional<RecoverySnapshot> recovery;  // nullopt: no endpoint recovery for this peer
};

struct InterfaceSnapshot {
  std::string name;
  BackendKind backend = BackendKind::kKernel;
  std::optional<PublicKey> public_key;  // nullopt: the interface has no private key
  std::uint16_t listen_port = 0;
  std::uint32_t fwmark = 0;
  std::vector<PeerSnapshot> peers;

  // Peers in `health` (linear).
  std::uint64_t count(PeerHealth health) const;
};

struct Snapshot {
  WallTime taken_at{};       // the wall time of the cycle that produced it
  MonoTime taken_at_mono{};  // the same instant on the monotonic clock (for rates)
  std::vector<InterfaceSnapshot> interfaces;
  SelfMetrics self;
};

// Lookups by the order contract (binary search); nullptr when absent. `key` is the base64
// text (PeerSnapshot::key).
const InterfaceSnapshot* find_interface(const Snapshot& snapshot, std::string_view name);
InterfaceSnapshot* find_interface(Snapshot& snapshot, std::string_view name);
const PeerSnapshot* find_peer(const InterfaceSnapshot& interface, std::string_view key);
PeerSnapshot* find_peer(InterfaceSnapshot& interface, std::string_view key);

}  // namespace wgtrack
