// PeerHealthTracker: the pure health state machine of one peer instance (docs/architecture.md
// rule 1). Fed one PeerObservation per read of the device (plus any in-tunnel probe results), it
// says whether the peer's state changed, why, and when the verdict could next change by time
// alone.
// It never reads a clock: timers run on the MonoTime of the observations, handshake ages are
// measured on the monotonic clock from the moment a handshake was first seen (see below).
//
// States (what the daemon reports):
//   never    no handshake yet (or the kernel forgot it: peer re-created, interface restarted).
//   up       positive evidence is current: handshake younger than handshake_stale, rx progress
//            or a successful probe within handshake_stale, or a local persistent keepalive that
//            keeps the session (handshake younger than REJECT_AFTER_TIME + keepalive + 5 s).
//   idle     no negative evidence and no current positive evidence: nothing was sent or
//            received lately. An old handshake on a quiet peer is not a failure.
//   stale    we are sending data, the handshake is due (REKEY_AFTER_TIME passed) and it is
//            older than handshake_stale: the old session may still carry traffic but is not
//            being renewed. Grace: no alarm yet.
//   down     negative evidence: probe_fail_after consecutive failed probes; remote keepalives
//            expected and both directions silent for rx_silence_limit(); data sent with nothing
//            back for tx_without_rx_down; or, while sending, handshake older than handshake_down.
//            Latched: left only on positive evidence seen after the failure (new handshake, rx
//            progress, successful probe sent after it), then re-judged.
//   removed  the peer disappeared (remove()); terminal for this instance.
//
// Counters that go backwards (interface restarted, peer re-created) re-baseline silently: they
// are neither progress nor a negative delta. A handshake timestamp in the future (wall clock
// stepped back) is reported by clock_went_backwards() and its age is counted from when it was
// first seen, never negative.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "core/clock.h"
#include "tracker/health_policy.h"

namespace wgtrack {

enum class PeerHealth : std::uint8_t { kNever, kUp, kIdle, kStale, kDown, kRemoved };
const char* to_string(PeerHealth health);  // "never", "up", "idle", "stale", "down", "removed"

// Why a transition happened: a stable machine-readable code plus a human sentence.
enum class ReasonCode : std::uint8_t {
  kHandshakeCompleted,  // "handshake completed"                 -> up
  kRxResumed,           // "rx resumed"                          -> up
  kProbeOk,             // "probe ok"                            -> up
  kQuiet,               // "no traffic, handshake 140 s old"     -> idle
  kHandshakeLate,       // "handshake 136 s old while sending"   -> stale
  kHandshakeExpired,    // "handshake 181 s old while sending"   -> down
  kProbesFailed,        // "2 probes failed"                     -> down
  kRxSilent,            // "no rx for 1.5 s (remote keepalive 1 s)" -> down
  kTxWithoutRx,         // "sending for 15 s without reply"      -> down
  kSessionReset,        // "handshake cleared (peer re-created or interface restarted)" -> never
  kPeerRemoved,         // "peer removed"                        -> removed
};
const char* to_string(ReasonCode code);  // snake_case: "handshake_completed", "rx_silent", ...

struct Reason {
  ReasonCode code;
  std::string text;
};

struct Transition {
  PeerHealth from;
  PeerHealth to;
  Reason reason;
};

// One peer as read from the backend, with the clocks of the read.
struct PeerObservation {
  MonoTime mono;
  WallTime wall;
  std::optional<WallTime> last_handshake;  // nullopt: never
  std::uint64_t rx_bytes = 0;
  std::uint64_t tx_bytes = 0;
  std::chrono::seconds local_keepalive{0};  // this side's persistent keepalive, 0 = off
};

// One finished in-tunnel probe (ICMP echo) from the prober.
struct ProbeSample {
  MonoTime sent;    // when the echo request left
  bool ok = false;  // reply received in time; false: timed out / unreachable
  std::optional<std::chrono::nanoseconds> rtt;  // with ok
};

struct HealthUpdate {
  std::optional<Transition> transition;  // set when the state changed
  // The earliest time at which a new observation could give another verdict even if nothing
  // moves (a threshold is crossed). nullopt: only new input can change it (e.g. latched down).
  // The daemon should read the peer at or after this time, not just re-judge: every time rule
  // needs to know that nothing arrived meanwhile.
  std::optional<MonoTime> next_deadline;
};

class PeerHealthTracker {
 public:
  // Starts tracking from the first observation; state() is then the initial verdict (the
  // daemon's initial_status), judged without history: up if the handshake is younger than
  // handshake_stale, never without one, idle otherwise.
  PeerHealthTracker(const HealthPolicy& policy, const PeerObservation& first);

  // Feeds the next read of this peer (obs.mono >= the previous one's) and the probes that
  // finished since the previous call, oldest first. Must not be called after remove().
  HealthUpdate observe(const PeerObservation& obs, std::span<const ProbeSample> probes = {});

  // The peer disappeared from the device: always a transition to kRemoved (terminal).
  Transition remove();

  // Takes effect at the next observe() (SIGHUP reload keeps the state and history).
  void set_policy(const HealthPolicy& policy) { policy_ = policy; }

  PeerHealth state() const { return state_; }
  MonoTime state_since() const { return state_since_; }
  // The last observation's handshake timestamp lies in the future of its wall time.
  bool clock_went_backwards() const { return clock_backwards_; }
  // Monotonic age of the last handshake at `now` (>= 0); nullopt: never.
  std::optional<std::chrono::nanoseconds> handshake_age(MonoTime now) const;
  int consecutive_probe_failures() const { return probe_failures_; }
  // As HealthUpdate::next_deadline, for the state after the last observation.
  std::optional<MonoTime> next_deadline(MonoTime now) const;

 private:
  struct Verdict {
    PeerHealth state;
    ReasonCode code;
    std::chrono::nanoseconds value{0};  // the measured age or silence behind the verdict
    int count = 0;                      // failed probes, for kProbesFailed
  };

  void take_handshake(const PeerObservation& obs);
  void take_counters(const PeerObservation& obs);
  void take_probe(const ProbeSample& probe);
  void note_positive(ReasonCode code, MonoTime at);
  void reset_session(const PeerObservation& obs);
  Verdict judge(MonoTime now) const;
  MonoTime rekey_point() const;
  std::string describe(const Verdict& v) const;

  HealthPolicy policy_;
  PeerHealth state_ = PeerHealth::kNever;
  MonoTime state_since_;
  MonoTime last_mono_;
  std::uint64_t rx_ = 0;
  std::uint64_t tx_ = 0;
  std::chrono::seconds local_keepalive_{0};
  bool clock_backwards_ = false;

  // Handshake, as (wall value, monotonic anchor, age at the anchor).
  std::optional<WallTime> handshake_;
  MonoTime handshake_seen_;
  std::chrono::nanoseconds handshake_age_at_seen_{0};

  MonoTime quiet_base_;                       // start of tracking or of this session
  std::optional<MonoTime> last_rx_;           // observation at which rx last grew
  std::optional<MonoTime> last_tx_;           // ... tx last grew (any packet)
  std::optional<MonoTime> unanswered_since_;  // first data send not answered by any rx
  std::optional<MonoTime> late_send_since_;   // first data send at/after the rekey point
  std::optional<MonoTime> last_probe_ok_;     // sent time of the last successful probe
  int probe_failures_ = 0;

  ReasonCode last_positive_ = ReasonCode::kHandshakeCompleted;
  std::optional<MonoTime> last_positive_at_;
  int positive_since_down_ = 0;  // observations with positive evidence after entering down
};

}  // namespace wgtrack
