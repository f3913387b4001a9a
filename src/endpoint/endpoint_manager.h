// EndpointManager: endpoint recovery for one peer, as a pure state machine on the caller's
// monotonic time (docs/architecture.md rule 1). It decides; the daemon acts and reports back:
//
//   daemon                                    EndpointManager
//   read of the peer (every cycle)  ──────►  observe(LinkObservation, now)
//   timer at step.next_deadline     ──────►  tick(now)
//   step.resolve: resolve names     ──────►  resolved(host, answer, now, u)   (one per host)
//   step.probe: ICMP to candidates  ──────►  probed(round, results, now)      (staggered starts)
//   step.write: set endpoint, UPDATE_ONLY
//   step.tunnel_probe: in-tunnel echo ──────►  tunnel_probed(sent, ok, now)   (any in-tunnel
//                                              probe of the peer, health probes too)
//   step.read: read the peer now      ──────►  observe(...)
//   write error                     ──────►  write_failed(error, now)
//   peer gone from the device       ──────►  remove(now)
//
// Every call returns an EndpointStep: what to start now, the events to publish, and when to
// call tick() at the latest. Calls never block and never fail; stale answers (a probe round or
// a host that is no longer asked about) are ignored.
//
// Phases (status().phase):
//   idle        nothing in flight. While the link is down and nothing could be tried (every
//               candidate silent or in back-off), waits for the next resolution or back-off end;
//               when every candidate is backing off, the one whose back-off ends first is tried
//               again REKEY_TIMEOUT after the last attempt (keeping its failure count).
//   probing     a probe round is out: every candidate not in back-off, in RFC 8305 order,
//               staggered by attempt_delay; decided when all answered or probe_timeout passed.
//   confirming  we wrote endpoint X (or chose to stay on the reachable current one) and wait
//               for two-way evidence through it: a handshake newer than the decision, or an
//               in-tunnel probe sent after the decision and answered. Received data alone never
//               confirms: when only our direction is broken, the peer's keepalives still
//               arrive. The evidence counts once the tracker no longer says down (a handshake
//               while earlier probes still count as failed orders one more probe).
//               Success: SwitchConfirmed, the candidate's back-off is cleared. Failure: the
//               window passes (confirm_window, plus REKEY_TIMEOUT when a handshake may be
//               pending: the kernel sends no new initiation within REKEY_TIMEOUT = 5 s of the
//               last one), or an in-tunnel probe sent after the decision over a live session is
//               lost: CandidateUnreachable(no_handshake), the candidate goes into back-off, and
//               the next candidate of the round is tried (then a new round). ICMP to the
//               candidates (probing) only orders and pre-filters them; the verdict on a
//               candidate is WireGuard's own handshake or an in-tunnel reply through it.
//   removed     the peer disappeared: terminal; a switch in flight is reported as SwitchAborted
//               and nothing is ever written again (never re-create a peer: rule 6).
//
// Recovery starts only when the tracker says the link is down (PeerHealth::kDown, or kNever for
// longer than EndpointPolicy::never_grace, or kNever without any endpoint: then at once, and the
// names are resolved at once too): a healthy,
// idle or stale link is never moved, an endpoint the peer roamed to is reported (kRoamed) and
// left alone, and DNS answers that only reorder addresses change nothing. Resolution follows
// ResolveScheduler (towalink/wgtrack's schedule while down, TTL-driven otherwise); IP-literal hosts
// are never resolved.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/endpoint.h"
#include "core/host_port.h"
#include "endpoint/candidate_backoff.h"
#include "endpoint/candidates.h"
#include "endpoint/endpoint_types.h"
#include "endpoint/resolve_scheduler.h"
#include "endpoint/selection.h"
#include "tracker/peer_health.h"

namespace wgtrack::endpoint {

struct EndpointPolicy {
  Prefer prefer = Prefer::kIPv6;
  ProbeMethod probe = ProbeMethod::kIcmp;
  ResolvePolicy resolve;
  BackoffPolicy backoff;
  Duration attempt_delay = kDefaultAttemptDelay;
  std::size_t max_probes = 16;
  Duration probe_timeout = std::chrono::seconds(2);  // after the last staggered start
  Duration confirm_window = std::chrono::seconds(10);
  // A peer that has never completed a handshake is treated as down after this long: the
  // tracker keeps it in kNever forever (no handshake, no negative evidence), and a wg-quick
  // Endpoint resolved once at boot to a dead address (black-holed IPv6) must not strand it.
  // Recovery then makes traffic, so a working current endpoint confirms itself. nullopt: off.
  std::optional<Duration> never_grace = std::chrono::seconds(20);
};

// What a managed peer is recovered with.
struct PeerSetup {
  std::vector<HostPort> hosts;  // candidate_hosts(): never empty
  EndpointPolicy policy;
};

// One read of the peer, with the tracker's verdict.
struct LinkObservation {
  PeerHealth health = PeerHealth::kNever;
  std::optional<Endpoint> endpoint;        // the kernel's current endpoint
  std::optional<WallTime> last_handshake;  // as the kernel reports it; nullopt: never
  std::uint64_t rx_bytes = 0;
  // PeerHealthTracker::handshake_age(now): monotonic, never negative; nullopt: never.
  std::optional<Duration> handshake_age;
};

struct ProbeRequest {
  std::uint64_t round = 0;  // echo it back in probed()
  std::vector<ProbeStart> probes;
};

struct EndpointStep {
  std::vector<HostPort> resolve;      // start resolving these names (A and AAAA) now
  std::optional<ProbeRequest> probe;  // start these ICMP probes at their start times
  std::optional<Endpoint> write;      // set the peer's endpoint: key + endpoint + UPDATE_ONLY
  // Send one in-tunnel probe with this timeout now; its answer goes to tunnel_probed(). Its
  // packet also makes WireGuard use the endpoint, and start a handshake when one is due.
  std::optional<Duration> tunnel_probe;
  bool read = false;  // read the peer again now: evidence arrived that the read settles
  std::vector<EndpointEvent> events;
  std::optional<MonoTime> next_deadline;  // call tick() at or after this; nullopt: no timer
};

enum class RecoveryPhase : std::uint8_t { kIdle, kProbing, kConfirming, kRemoved };
const char* to_string(RecoveryPhase phase);  // "idle", "probing", "confirming", "removed"

enum class ProbeState : std::uint8_t { kUnknown, kReachable, kUnreachable };
const char* to_string(ProbeState state);  // "unknown", "reachable", "unreachable"

struct CandidateStatus {
  Endpoint endpoint;
  std::string host;                         // the configured host it came from
  ProbeState probe = ProbeState::kUnknown;  // the last ICMP probe
  bool current = false;
  int failures = 0;                       // failed switches since the last confirmed one
  std::optional<MonoTime> backoff_until;  // set while in back-off
};

struct HostStatus {
  std::string host;
  std::size_t addresses = 0;
  std::optional<std::string> error;  // the last resolution error, if the last one failed
  bool permanent = false;
};

struct SwitchRecord {
  // kUnproven: the link came back during the window without two-way evidence through the new
  // endpoint (only data arrived): not confirmed, not failed, the endpoint stays.
  enum class Outcome : std::uint8_t { kPending, kConfirmed, kFailed, kAborted, kUnproven };
  std::optional<Endpoint> from;
  Endpoint to;
  ChangeReason reason = ChangeReason::kFailover;
  MonoTime at;
  Outcome outcome = Outcome::kPending;
};
const char* to_string(SwitchRecord::Outcome outcome);  // "pending", "confirmed", "unproven"...

struct EndpointStatus {
  RecoveryPhase phase = RecoveryPhase::kIdle;
  ResolvePhase resolve_phase = ResolvePhase::kHealthy;
  std::optional<Endpoint> current;
  std::vector<CandidateStatus> candidates;  // in current preference order
  std::vector<HostStatus> hosts;
  std::optional<SwitchRecord> last_switch;  // our last write (roams are not switches)
  std::optional<ChangeReason> last_failover_reason;
  std::optional<MonoTime> next_resolve;
  std::optional<MonoTime> confirm_deadline;
};

class EndpointManager {
 public:
  // `hosts`: candidate_hosts(wg-quick Endpoint, [peer:] endpoints). With no host at all the
  // manager only reports roams.
  EndpointManager(const EndpointPolicy& policy, std::vector<HostPort> hosts);

  EndpointStep observe(const LinkObservation& obs, MonoTime now);
  // `u`: a uniform draw in [0, 1) for the resolution jitter.
  EndpointStep resolved(const HostPort& host, const HostAnswer& answer, MonoTime now, double u);
  EndpointStep probed(std::uint64_t round, std::span<const CandidateProbe> results, MonoTime now);
  // An in-tunnel probe of the peer (ordered by step.tunnel_probe, or a health probe) that was
  // sent at `sent` finished: answered (ok) or lost.
  EndpointStep tunnel_probed(MonoTime sent, bool ok, MonoTime now);
  // The daemon could not write step.write. kNotFound: the peer is gone (as remove()).
  EndpointStep write_failed(const Error& error, MonoTime now);
  EndpointStep tick(MonoTime now);
  EndpointStep remove(MonoTime now);

  EndpointStatus status(MonoTime now) const;
  RecoveryPhase phase() const { return phase_; }
  // Takes effect for the next decision (SIGHUP keeps state, back-off and answers).
  void set_policy(const EndpointPolicy& policy);
  // True when the manager was made for exactly these hosts, in this order (a reload keeps it).
  bool has_hosts(std::span<const HostPort> hosts) const;

 private:
  struct HostState {
    HostPort host;
    bool literal = false;
    bool pending = false;
    HostAddresses resolved;
    std::optional<std::chrono::seconds> min_ttl;
    std::optional<Error> error;
  };

  std::vector<Candidate> ordered(MonoTime now) const;  // all candidates, back-off at the back
  std::vector<Candidate> tryable(MonoTime now) const;  // not in back-off
  bool link_down() const { return scheduler_.link_down(); }
  bool failing(const LinkObservation& obs, MonoTime now) const;
  void finish(EndpointStep& step, MonoTime now);
  void start_round(EndpointStep& step, MonoTime now);
  void decide(EndpointStep& step, MonoTime now);
  void next_attempt(EndpointStep& step, MonoTime now);
  void attempt_failed(EndpointStep& step, MonoTime now);
  void check_confirm(const LinkObservation& obs, EndpointStep& step, MonoTime now);
  void go_idle(MonoTime now);
  void round_complete(MonoTime now, double u);
  void set_probe_state(const Endpoint& address, ProbeState state);
  ProbeState probe_state(const Endpoint& address) const;

  EndpointPolicy policy_;
  std::vector<HostState> hosts_;
  ResolveScheduler scheduler_;
  CandidateBackoff backoff_;

  std::optional<LinkObservation> last_obs_;
  std::optional<Endpoint> current_;
  std::optional<MonoTime> never_since_;  // kNever observed continuously since then
  RecoveryPhase phase_ = RecoveryPhase::kIdle;
  std::optional<MonoTime> retry_at_;        // idle while down: start a round then
  std::optional<MonoTime> last_attempt_;    // the last write or stay decision
  std::optional<MonoTime> stranded_since_;  // every candidate backing off since (down)

  // Probing.
  std::uint64_t round_ = 0;
  std::vector<Endpoint> round_expected_;
  std::vector<CandidateProbe> round_results_;
  MonoTime round_deadline_;

  // Confirming.
  std::vector<Endpoint> try_list_;
  Endpoint target_;
  bool wrote_ = false;  // false: staying on the current endpoint
  MonoTime attempt_at_;
  MonoTime confirm_deadline_;
  std::optional<WallTime> baseline_handshake_;
  bool live_session_ = false;  // the keypair could carry the probe at once (no handshake due)
  std::optional<SwitchConfirmed::Via> proven_;  // two-way evidence seen for this attempt
  bool reprobed_ = false;  // proven by handshake while still down: one more probe ordered

  std::vector<std::pair<Endpoint, ProbeState>> probe_states_;
  std::optional<SwitchRecord> last_switch_;
  std::optional<ChangeReason> last_failover_reason_;
};

}  // namespace wgtrack::endpoint
