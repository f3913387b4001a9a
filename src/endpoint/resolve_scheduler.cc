#include "endpoint/resolve_scheduler.h"

#include <algorithm>

namespace wgtrack::endpoint {

const char* to_string(ResolvePhase phase) {
  switch (phase) {
    case ResolvePhase::kHealthy:
      return "healthy";
    case ResolvePhase::kWaiting:
      return "waiting";
    case ResolvePhase::kChecking:
      return "checking";
    case ResolvePhase::kBackingOff:
      return "backingoff";
    case ResolvePhase::kSlowChecking:
      return "slowchecking";
  }
  return "?";
}

ResolveScheduler::ResolveScheduler(const ResolvePolicy& policy) : policy_(policy) {}

void ResolveScheduler::set_link_down(bool down, MonoTime now, bool at_once) {
  if (down == down_) return;
  down_ = down;
  if (!down) return;  // back to the TTL regime: healthy_next_ still holds
  checking_start_ = now + (at_once ? Duration(0) : cycles(policy_.cycles_wait));
  checks_done_ = 0;
  if (policy_.cycles_checking > 0) {
    stage_ = Stage::kChecking;
    down_slot_ = checking_start_;
  } else {
    // As in towalink/wgtrack: checking with cycles_checking 0 goes straight to backing off, no
    // resolution.
    stage_ = Stage::kBackingOff;
    backoff_limit_ = 2ULL * policy_.cycles_checkperiod;
    down_slot_ = checking_start_ +
                 cycles(std::min<std::uint64_t>(backoff_limit_, policy_.cycles_slowcheckingperiod));
  }
}

void ResolveScheduler::advance_down_slot() {
  const std::uint64_t period = std::max<std::uint32_t>(policy_.cycles_checkperiod, 1);
  const std::uint64_t slow = std::max<std::uint32_t>(policy_.cycles_slowcheckingperiod, 1);
  switch (stage_) {
    case Stage::kChecking:
      ++checks_done_;
      if (checks_done_ * period < policy_.cycles_checking) {
        down_slot_ = checking_start_ + cycles(checks_done_ * period);
      } else {
        stage_ = Stage::kBackingOff;
        backoff_limit_ =
            2 *
            period;  // towalink/wgtrack (logic.py): the limit doubles from 2 x cycles_checkperiod
        down_slot_ = checking_start_ + cycles(policy_.cycles_checking) +
                     cycles(std::min(backoff_limit_, slow));
      }
      break;
    case Stage::kBackingOff:
      backoff_limit_ *= 2;
      if (backoff_limit_ >= slow) {
        stage_ = Stage::kSlow;
        down_slot_ += cycles(slow);
      } else {
        down_slot_ += cycles(backoff_limit_);
      }
      break;
    case Stage::kSlow:
      down_slot_ += cycles(slow);
      break;
  }
}

std::optional<MonoTime> ResolveScheduler::next_due() const {
  if (in_flight_) return std::nullopt;
  std::optional<MonoTime> t;
  if (down_) {
    t = down_slot_;
  } else if (healthy_next_) {
    t = healthy_next_;
  } else {
    t = last_started_.value_or(MonoTime{});  // never answered: now (floor applies)
  }
  if (last_started_) t = std::max(*t, *last_started_ + policy_.floor);
  return t;
}

bool ResolveScheduler::due(MonoTime now) const {
  const auto t = next_due();
  return t && *t <= now;
}

void ResolveScheduler::started(MonoTime now) {
  in_flight_ = true;
  last_started_ = now;
  if (down_) {
    while (down_slot_ <= now) advance_down_slot();  // a late start skips missed slots
  }
}

Duration ResolveScheduler::jittered(Duration d, double u) const {
  u = std::clamp(u, 0.0, 1.0);
  const double factor = 1.0 + policy_.jitter * (2.0 * u - 1.0);
  return std::chrono::duration_cast<Duration>(
      std::chrono::duration<double, Duration::period>(static_cast<double>(d.count()) * factor));
}

void ResolveScheduler::finished(MonoTime now, const ResolveOutcome& outcome, double u) {
  in_flight_ = false;
  Duration d{0};
  switch (outcome.kind) {
    case ResolveOutcome::Kind::kAnswer:
      transient_failures_ = 0;
      d = std::clamp<Duration>(outcome.min_ttl, policy_.ttl_min, policy_.ttl_max);
      break;
    case ResolveOutcome::Kind::kTransientError:
      d = policy_.transient_min;
      for (int i = 0; i < transient_failures_ && d < policy_.transient_max; ++i) d *= 2;
      d = std::min(d, policy_.transient_max);
      ++transient_failures_;
      break;
    case ResolveOutcome::Kind::kPermanentError:
      transient_failures_ = 0;
      d = policy_.permanent_retry;
      break;
  }
  healthy_next_ = now + jittered(d, u);
}

ResolvePhase ResolveScheduler::phase(MonoTime now) const {
  if (!down_) return ResolvePhase::kHealthy;
  if (now < checking_start_) return ResolvePhase::kWaiting;
  switch (stage_) {
    case Stage::kChecking:
      return ResolvePhase::kChecking;
    case Stage::kBackingOff:
      return ResolvePhase::kBackingOff;
    case Stage::kSlow:
      return ResolvePhase::kSlowChecking;
  }
  return ResolvePhase::kHealthy;
}

}  // namespace wgtrack::endpoint
