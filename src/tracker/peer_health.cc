#include "tracker/peer_health.h"

#include <algorithm>
#include <cassert>
#include <cstdio>

#include "tracker/wireguard_timers.h"

namespace wgtrack {
namespace {

using std::chrono::nanoseconds;
using std::chrono::seconds;
namespace wt = wireguard_timers;

// "3.1 s" below 10 s, whole seconds (floored, so a threshold reads as itself) above, and
// whole seconds as "1 s".
std::string seconds_text(nanoseconds d) {
  char buf[32];
  if (d < seconds(10) && d % seconds(1) != nanoseconds(0)) {
    std::snprintf(buf, sizeof buf, "%.1f s", std::chrono::duration<double>(d).count());
  } else {
    std::snprintf(buf, sizeof buf, "%lld s",
                  static_cast<long long>(std::chrono::duration_cast<seconds>(d).count()));
  }
  return buf;
}

// Did a tx delta contain data (or a handshake initiation), as opposed to keepalives only?
// Keepalives are not answered (the kernel's passive keepalive answers data only:
// wg_timers_data_received), so only data may start the "sent without reply" clock. A keepalive
// is exactly kKeepaliveMessageBytes on the wire counters (the kernel tests the same length:
// send.c, is_keepalive = skb->len == message_data_len(0)); data messages are >= 64 bytes and
// initiations 148. Allowance: one passive keepalive per read plus one persistent keepalive per
// started local interval. Several data packets summing to a multiple of 32 within the allowance
// are missed for one read; the next data send is seen.
bool has_data(std::uint64_t delta, nanoseconds elapsed, seconds local_keepalive) {
  if (delta % wt::kKeepaliveMessageBytes != 0) return true;
  std::uint64_t allowed = 1;
  if (local_keepalive > seconds(0)) {
    const nanoseconds k = local_keepalive;
    allowed +=
        static_cast<std::uint64_t>((std::max(elapsed, nanoseconds(0)) + k - nanoseconds(1)) / k);
  }
  return delta / wt::kKeepaliveMessageBytes > allowed;
}

}  // namespace

const char* to_string(PeerHealth health) {
  switch (health) {
    case PeerHealth::kNever:
      return "never";
    case PeerHealth::kUp:
      return "up";
    case PeerHealth::kIdle:
      return "idle";
    case PeerHealth::kStale:
      return "stale";
    case PeerHealth::kDown:
      return "down";
    case PeerHealth::kRemoved:
      return "removed";
  }
  return "?";
}

const char* to_string(ReasonCode code) {
  switch (code) {
    case ReasonCode::kHandshakeCompleted:
      return "handshake_completed";
    case ReasonCode::kRxResumed:
      return "rx_resumed";
    case ReasonCode::kProbeOk:
      return "probe_ok";
    case ReasonCode::kQuiet:
      return "quiet";
    case ReasonCode::kHandshakeLate:
      return "handshake_late";
    case ReasonCode::kHandshakeExpired:
      return "handshake_expired";
    case ReasonCode::kProbesFailed:
      return "probes_failed";
    case ReasonCode::kRxSilent:
      return "rx_silent";
    case ReasonCode::kTxWithoutRx:
      return "tx_without_rx";
    case ReasonCode::kSessionReset:
      return "session_reset";
    case ReasonCode::kPeerRemoved:
      return "peer_removed";
  }
  return "?";
}

PeerHealthTracker::PeerHealthTracker(const HealthPolicy& policy, const PeerObservation& first)
    : policy_(policy),
      state_since_(first.mono),
      last_mono_(first.mono),
      rx_(first.rx_bytes),
      tx_(first.tx_bytes),
      local_keepalive_(first.local_keepalive),
      quiet_base_(first.mono) {
  if (first.last_handshake) {
    take_handshake(first);
    last_positive_at_.reset();  // seen, not witnessed: no evidence of anything after it
  }
  state_ = judge(first.mono).state;
}

std::optional<nanoseconds> PeerHealthTracker::handshake_age(MonoTime now) const {
  if (!handshake_) return std::nullopt;
  return handshake_age_at_seen_ + (now - handshake_seen_);
}

MonoTime PeerHealthTracker::rekey_point() const {
  return handshake_seen_ + (nanoseconds(wt::kRekeyAfterTime) - handshake_age_at_seen_);
}

void PeerHealthTracker::note_positive(ReasonCode code, MonoTime at) {
  // Within one read a handshake explains the rx that came with it: keep the better story.
  if (last_positive_at_ == at && last_positive_ == ReasonCode::kHandshakeCompleted) return;
  last_positive_ = code;
  last_positive_at_ = at;
}

void PeerHealthTracker::take_handshake(const PeerObservation& obs) {
  const WallTime hs = *obs.last_handshake;
  if (handshake_ && *handshake_ == hs) {
    // The kernel keeps the value; only our wall clock moved if it is now in the future.
    clock_backwards_ = hs > obs.wall;
    return;
  }
  // A new handshake (any change, not only a later value: after a backward step of the wall
  // clock a new handshake carries an earlier timestamp). Its age is taken once from the wall
  // clock and then carried on the monotonic clock, so later wall jumps cannot age it.
  const nanoseconds wall_age = obs.wall - hs;
  clock_backwards_ = wall_age < nanoseconds(0);
  handshake_ = hs;
  handshake_seen_ = obs.mono;
  handshake_age_at_seen_ = std::max(wall_age, nanoseconds(0));  // unknown age: count from now
  quiet_base_ = obs.mono;  // a completed handshake means the remote just answered
  unanswered_since_.reset();
  late_send_since_.reset();
  note_positive(ReasonCode::kHandshakeCompleted, obs.mono);
}

void PeerHealthTracker::take_counters(const PeerObservation& obs) {
  const nanoseconds elapsed = obs.mono - last_mono_;
  if (obs.rx_bytes < rx_ || obs.tx_bytes < tx_) {
    // Counters restarted (interface recreated, peer removed and re-added): re-baseline. What
    // was counted since the restart is unknowable as progress, so none is assumed.
    rx_ = obs.rx_bytes;
    tx_ = obs.tx_bytes;
    return;
  }
  const std::uint64_t rx_delta = obs.rx_bytes - rx_;
  const std::uint64_t tx_delta = obs.tx_bytes - tx_;
  rx_ = obs.rx_bytes;
  tx_ = obs.tx_bytes;
  if (rx_delta > 0) {
    last_rx_ = obs.mono;
    unanswered_since_.reset();
    note_positive(ReasonCode::kRxResumed, obs.mono);
  }
  if (tx_delta > 0) {
    last_tx_ = obs.mono;
    if (has_data(tx_delta, elapsed, local_keepalive_)) {
      // Sent and received within one read: the rx counts as the answer (order unknown).
      if (rx_delta == 0 && !unanswered_since_) unanswered_since_ = obs.mono;
      // Sending with a due session makes the kernel rekey (send.c keep_key_fresh): from here
      // on the handshake is expected. rx does not clear this: the old session carries data
      // until REJECT_AFTER_TIME even when renewal fails, which is exactly `stale`.
      if (handshake_ && obs.mono >= rekey_point() && !late_send_since_) {
        late_send_since_ = obs.mono;
      }
    }
  }
}

void PeerHealthTracker::take_probe(const ProbeSample& probe) {
  if (probe.ok) {
    probe_failures_ = 0;
    if (!last_probe_ok_ || probe.sent > *last_probe_ok_) last_probe_ok_ = probe.sent;
    note_positive(ReasonCode::kProbeOk, probe.sent);
  } else if (handshake_) {
    // Without a session a probe cannot pass; `never` already says so.
    ++probe_failures_;
  }
}

void PeerHealthTracker::reset_session(const PeerObservation& obs) {
  handshake_.reset();
  clock_backwards_ = false;
  rx_ = obs.rx_bytes;
  tx_ = obs.tx_bytes;
  quiet_base_ = obs.mono;
  last_rx_.reset();
  last_tx_.reset();
  unanswered_since_.reset();
  late_send_since_.reset();
  last_probe_ok_.reset();
  probe_failures_ = 0;
  last_positive_at_.reset();
  positive_since_down_ = 0;
}

HealthUpdate PeerHealthTracker::observe(const PeerObservation& obs,
                                        std::span<const ProbeSample> probes) {
  assert(state_ != PeerHealth::kRemoved);
  HealthUpdate out;
  if (state_ == PeerHealth::kRemoved) return out;
  local_keepalive_ = obs.local_keepalive;
  Verdict v{};
  if (!obs.last_handshake && handshake_) {
    // The kernel forgot the handshake: a new peer instance under the same key.
    reset_session(obs);
    v = Verdict{PeerHealth::kNever, ReasonCode::kSessionReset};
  } else {
    const auto positive_before = last_positive_at_;
    if (obs.last_handshake) take_handshake(obs);
    take_counters(obs);
    for (const ProbeSample& p : probes) take_probe(p);
    if (state_ == PeerHealth::kDown && last_positive_at_ != positive_before &&
        last_positive_at_ > state_since_) {
      ++positive_since_down_;
    }
    // Down is latched: time passing or negative evidence fading (e.g. we stopped sending)
    // proves nothing; only something the remote did after the failure does.
    if (state_ == PeerHealth::kDown && positive_since_down_ < std::max(1, policy_.recover_after)) {
      v = Verdict{PeerHealth::kDown, ReasonCode::kProbesFailed};
    } else {
      v = judge(obs.mono);
      if (v.state == PeerHealth::kDown) positive_since_down_ = 0;
    }
  }
  last_mono_ = obs.mono;
  if (v.state != state_) {
    out.transition = Transition{state_, v.state, Reason{v.code, describe(v)}};
    state_ = v.state;
    state_since_ = obs.mono;
    positive_since_down_ = 0;
  }
  out.next_deadline = next_deadline(obs.mono);
  return out;
}

Transition PeerHealthTracker::remove() {
  Transition t{state_, PeerHealth::kRemoved, Reason{ReasonCode::kPeerRemoved, "peer removed"}};
  state_ = PeerHealth::kRemoved;
  return t;
}

PeerHealthTracker::Verdict PeerHealthTracker::judge(MonoTime now) const {
  if (!handshake_) return {PeerHealth::kNever, ReasonCode::kSessionReset};
  const nanoseconds age = *handshake_age(now);

  // Negative evidence first: any one is enough.
  if (policy_.probe_fail_after > 0 && probe_failures_ >= policy_.probe_fail_after) {
    return {PeerHealth::kDown, ReasonCode::kProbesFailed, nanoseconds(0), probe_failures_};
  }
  if (policy_.keepalive_expected) {
    // A persistent keepalive fires `interval` after the last packet the remote sent OR
    // received (timers.c, wg_timers_any_authenticated_packet_traversal), so our own sends
    // postpone it: the silence runs from the latest packet in either direction. 1.5 x the
    // interval leaves half an interval for jitter and delay, and was measured in the lab at a
    // 1 s keepalive to detect a black hole in 0.6-1.5 s without false alarms (wireguard-go in network namespaces).
    MonoTime base = quiet_base_;
    if (last_rx_) base = std::max(base, *last_rx_);
    if (last_tx_) base = std::max(base, *last_tx_);
    if (now - base >= rx_silence_limit(*policy_.keepalive_expected)) {
      return {PeerHealth::kDown, ReasonCode::kRxSilent, now - base};
    }
  }
  if (policy_.tx_without_rx_down && unanswered_since_ &&
      now - *unanswered_since_ >= *policy_.tx_without_rx_down) {
    return {PeerHealth::kDown, ReasonCode::kTxWithoutRx, now - *unanswered_since_};
  }
  if (late_send_since_) {
    // The handshake has been due since the rekey point or since the first send after it
    // (a quiet peer's handshake is due only once it sends again); both thresholds keep their
    // distance from REKEY_AFTER_TIME as grace after that.
    const nanoseconds overdue = now - std::max(rekey_point(), *late_send_since_);
    const nanoseconds rekey = wt::kRekeyAfterTime;
    if (age >= policy_.handshake_down && overdue >= policy_.handshake_down - rekey) {
      return {PeerHealth::kDown, ReasonCode::kHandshakeExpired, age};
    }
    if (age >= policy_.handshake_stale && overdue >= policy_.handshake_stale - rekey) {
      return {PeerHealth::kStale, ReasonCode::kHandshakeLate, age};
    }
  }

  // Positive evidence that is still current.
  const nanoseconds fresh = policy_.handshake_stale;
  const bool rx_fresh = last_rx_ && now - *last_rx_ < fresh;
  const bool probe_fresh = last_probe_ok_ && probe_failures_ == 0 && now - *last_probe_ok_ < fresh;
  // With a local persistent keepalive the kernel itself keeps the session: the first keepalive
  // after REJECT_AFTER_TIME forces an initiation (send.c, out_invalid), so a healthy session is
  // renewed by then + one interval + one retransmit.
  const bool kept_alive =
      local_keepalive_ > seconds(0) &&
      age < nanoseconds(wt::kRejectAfterTime + local_keepalive_ + wt::kRekeyTimeout);
  if (age < fresh || rx_fresh || probe_fresh || kept_alive) {
    return {PeerHealth::kUp, last_positive_at_ ? last_positive_ : ReasonCode::kHandshakeCompleted};
  }
  return {PeerHealth::kIdle, ReasonCode::kQuiet, age};
}

std::optional<MonoTime> PeerHealthTracker::next_deadline(MonoTime now) const {
  if (!handshake_ || state_ == PeerHealth::kDown || state_ == PeerHealth::kRemoved) {
    return std::nullopt;
  }
  std::optional<MonoTime> best;
  const auto consider = [&](MonoTime t) {
    if (t > now && (!best || t < *best)) best = t;
  };
  const auto at_age = [&](nanoseconds age) {
    return handshake_seen_ + (age - handshake_age_at_seen_);
  };
  const nanoseconds fresh = policy_.handshake_stale;
  consider(at_age(fresh));
  if (last_rx_) consider(*last_rx_ + fresh);
  if (last_probe_ok_) consider(*last_probe_ok_ + fresh);
  if (local_keepalive_ > seconds(0)) {
    consider(at_age(wt::kRejectAfterTime + local_keepalive_ + wt::kRekeyTimeout));
  }
  if (policy_.keepalive_expected) {
    MonoTime base = quiet_base_;
    if (last_rx_) base = std::max(base, *last_rx_);
    if (last_tx_) base = std::max(base, *last_tx_);
    consider(base + rx_silence_limit(*policy_.keepalive_expected));
  }
  if (policy_.tx_without_rx_down && unanswered_since_) {
    consider(*unanswered_since_ + *policy_.tx_without_rx_down);
  }
  if (late_send_since_) {
    const MonoTime due = std::max(rekey_point(), *late_send_since_);
    const nanoseconds rekey = wt::kRekeyAfterTime;
    for (nanoseconds limit : {policy_.handshake_stale, policy_.handshake_down}) {
      consider(std::max(at_age(limit), due + std::max(limit - rekey, nanoseconds(0))));
    }
  }
  return best;
}

std::string PeerHealthTracker::describe(const Verdict& v) const {
  switch (v.code) {
    case ReasonCode::kHandshakeCompleted:
      return "handshake completed";
    case ReasonCode::kRxResumed:
      return "rx resumed";
    case ReasonCode::kProbeOk:
      return "probe ok";
    case ReasonCode::kQuiet:
      return "no traffic, handshake " + seconds_text(v.value) + " old";
    case ReasonCode::kHandshakeLate:
    case ReasonCode::kHandshakeExpired:
      return "handshake " + seconds_text(v.value) + " old while sending";
    case ReasonCode::kProbesFailed:
      return std::to_string(v.count) + (v.count == 1 ? " probe failed" : " probes failed");
    case ReasonCode::kRxSilent:
      return "no rx for " + seconds_text(v.value) + " (remote keepalive " +
             seconds_text(policy_.keepalive_expected.value_or(nanoseconds(0))) + ")";
    case ReasonCode::kTxWithoutRx:
      return "sending for " + seconds_text(v.value) + " without reply";
    case ReasonCode::kSessionReset:
      return "handshake cleared (peer re-created or interface restarted)";
    case ReasonCode::kPeerRemoved:
      return "peer removed";
  }
  return "?";
}

}  // namespace wgtrack
