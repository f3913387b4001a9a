// ResolveScheduler: when to resolve a peer's host names (pure; time and randomness are inputs).
//
// Two regimes, switched by set_link_down():
//
//  * Link DOWN — towalink/wgtrack's schedule (its logic.py), in
//    cycles of `cycle_time`, counted from the moment the peer went down (cycle 0):
//      waiting      nothing for cycles_wait cycles (a dynamic address may come back by itself);
//      checking     resolve at cycles_wait + k * cycles_checkperiod for every
//                   k * cycles_checkperiod < cycles_checking;
//      backing off  then, from cycles_wait + cycles_checking, resolve after a limit that starts
//                   at 2 * cycles_checkperiod and doubles after each resolution;
//      slow         once the limit reaches cycles_slowcheckingperiod, every that many cycles.
//    Defaults (2, 4, 2, 20): cycles 2, 4, 10, 18, 34, 54, 74, ... towalink/wgtrack itself lands on
//    4, 6, 13, 21, 36, 57, 77 for the same values: each of its state changes costs one extra
//    cycle and its back-off counter restarts at 1 — artefacts of its loop, not of its design;
//    we keep the documented schedule. DNS errors do not change this schedule.
//
//  * Link not down — resolve again when the answer expires, so that a DNS change is seen before
//    the link fails: after the shortest TTL (of the current host, chosen by the caller) clamped
//    to [ttl_min, ttl_max]; a transient error retries after transient_min doubling to
//    transient_max; a permanent error (NXDOMAIN, NODATA) waits permanent_retry. Each of these
//    delays is multiplied by (1 + jitter * (2u - 1)) for a caller-supplied uniform u in [0, 1),
//    so a fleet that started together does not resolve in step (systemd-networkd does the same).
//
// In both regimes two resolutions never start less than `floor` apart, and none starts while
// one is in flight (started() .. finished()). A new scheduler is due at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "core/clock.h"
#include "endpoint/endpoint_types.h"

namespace wgtrack::endpoint {

struct ResolvePolicy {
  Duration cycle_time = std::chrono::seconds(30);
  std::uint32_t cycles_wait = 2;
  std::uint32_t cycles_checking = 4;
  std::uint32_t cycles_checkperiod = 2;          // >= 1
  std::uint32_t cycles_slowcheckingperiod = 20;  // >= 1
  Duration ttl_min = std::chrono::seconds(30);
  Duration ttl_max = std::chrono::hours(1);
  double jitter = 0.10;  // fraction, +-
  Duration transient_min = std::chrono::seconds(5);
  Duration transient_max = std::chrono::minutes(5);
  Duration permanent_retry = std::chrono::minutes(15);
  Duration floor = std::chrono::seconds(1);
};

// What a finished resolution round means for the schedule.
struct ResolveOutcome {
  enum class Kind : std::uint8_t { kAnswer, kTransientError, kPermanentError };
  Kind kind = Kind::kAnswer;
  std::chrono::seconds min_ttl{0};  // kAnswer: the shortest TTL that matters

  static ResolveOutcome answer(std::chrono::seconds ttl) { return {Kind::kAnswer, ttl}; }
  static ResolveOutcome transient() { return {Kind::kTransientError, {}}; }
  static ResolveOutcome permanent() { return {Kind::kPermanentError, {}}; }
};

// towalink/wgtrack's phase names, shown in the status.
enum class ResolvePhase : std::uint8_t {
  kHealthy,
  kWaiting,
  kChecking,
  kBackingOff,
  kSlowChecking
};
const char* to_string(ResolvePhase phase);  // "healthy", "waiting", "checking", ...

class ResolveScheduler {
 public:
  explicit ResolveScheduler(const ResolvePolicy& policy);

  // The link went down (true) or is no longer down (false) at `now`. Entering down starts the
  // towalink/wgtrack's schedule at cycle 0; repeating the same value changes nothing. `at_once`:
  // skip cycles_wait (it gives a link time to come back by itself; a peer without any endpoint
  // cannot), so the first resolution is due now.
  void set_link_down(bool down, MonoTime now, bool at_once = false);
  bool link_down() const { return down_; }

  // When the next resolution should start; nullopt while one is in flight.
  std::optional<MonoTime> next_due() const;
  bool due(MonoTime now) const;

  // A resolution round starts now: consumes every schedule slot at or before `now`.
  void started(MonoTime now);
  // The round finished; `u` is uniform in [0, 1) (the jitter draw).
  void finished(MonoTime now, const ResolveOutcome& outcome, double u);
  bool in_flight() const { return in_flight_; }

  ResolvePhase phase(MonoTime now) const;
  void set_policy(const ResolvePolicy& policy) { policy_ = policy; }

 private:
  enum class Stage : std::uint8_t { kChecking, kBackingOff, kSlow };
  Duration cycles(std::uint64_t n) const {
    return policy_.cycle_time * static_cast<std::int64_t>(n);
  }
  void advance_down_slot();
  Duration jittered(Duration d, double u) const;

  ResolvePolicy policy_;
  bool down_ = false;
  bool in_flight_ = false;
  std::optional<MonoTime> last_started_;

  // Link not down: the next TTL/error-driven time (nullopt: now).
  std::optional<MonoTime> healthy_next_;
  int transient_failures_ = 0;

  // Link down: towalink/wgtrack's schedule.
  MonoTime checking_start_;
  MonoTime down_slot_;
  Stage stage_ = Stage::kChecking;
  std::uint32_t checks_done_ = 0;
  std::uint64_t backoff_limit_ = 0;  // cycles
};

}  // namespace wgtrack::endpoint
