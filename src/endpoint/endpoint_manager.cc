#include "endpoint/endpoint_manager.h"

#include <algorithm>
#include <utility>

#include "tracker/wireguard_timers.h"

namespace wgtrack::endpoint {

namespace timers = wgtrack::wireguard_timers;

namespace {

// An in-tunnel echo over a live keypair comes back within a round trip; the health probes wait
// at most 1 s too.
constexpr Duration kLiveProbeTimeout = std::chrono::seconds(1);
// Without a usable keypair WireGuard queues the echo until a handshake completes, which may
// wait REKEY_TIMEOUT for the next initiation.
constexpr Duration kQueuedProbeTimeout = timers::kRekeyTimeout + std::chrono::seconds(1);
// Every candidate backing off while the link is down: the one whose back-off ends first is tried
// again this long after the last attempt, WireGuard's own handshake retry cadence
// (REKEY_TIMEOUT), instead of after its back-off (30 s and more).
constexpr Duration kStrandedRetry = timers::kRekeyTimeout;

}  // namespace

EndpointManager::EndpointManager(const EndpointPolicy& policy, std::vector<HostPort> hosts)
    : policy_(policy), scheduler_(policy.resolve), backoff_(policy.backoff) {
  for (HostPort& h : hosts) {
    HostState s;
    s.literal = h.literal().has_value();
    s.resolved = host_addresses(h, nullptr);  // a literal is its own address
    s.host = std::move(h);
    hosts_.push_back(std::move(s));
  }
}

bool EndpointManager::has_hosts(std::span<const HostPort> hosts) const {
  return std::equal(hosts_.begin(), hosts_.end(), hosts.begin(), hosts.end(),
                    [](const HostState& a, const HostPort& b) { return a.host == b; });
}

void EndpointManager::set_policy(const EndpointPolicy& policy) {
  policy_ = policy;
  scheduler_.set_policy(policy.resolve);
}

std::vector<Candidate> EndpointManager::ordered(MonoTime now) const {
  std::vector<HostAddresses> hosts;
  hosts.reserve(hosts_.size());
  for (const HostState& h : hosts_) hosts.push_back(h.resolved);
  return order_candidates(hosts, policy_.prefer, &backoff_, now);
}

std::vector<Candidate> EndpointManager::tryable(MonoTime now) const {
  auto all = ordered(now);
  std::erase_if(all, [&](const Candidate& c) { return backoff_.blocked(c.endpoint, now); });
  return all;
}

// --- Inputs ---------------------------------------------------------------------------------

EndpointStep EndpointManager::observe(const LinkObservation& obs, MonoTime now) {
  EndpointStep step;
  if (phase_ == RecoveryPhase::kRemoved) return step;
  if (obs.health == PeerHealth::kRemoved) return remove(now);

  if (phase_ == RecoveryPhase::kConfirming) check_confirm(obs, step, now);
  if (last_obs_ && obs.endpoint && obs.endpoint != current_) {
    // Not our write: the peer roamed (WireGuard follows the source of authenticated packets).
    step.events.push_back(EndpointChanged{current_, *obs.endpoint, ChangeReason::kRoamed});
    if (phase_ == RecoveryPhase::kConfirming) {
      if (last_switch_ && wrote_) last_switch_->outcome = SwitchRecord::Outcome::kAborted;
      step.events.push_back(SwitchAborted{target_, "the peer roamed to another endpoint"});
      go_idle(now);
    }
  }
  if (!last_obs_ || obs.endpoint) current_ = obs.endpoint;
  last_obs_ = obs;
  if (obs.health != PeerHealth::kNever) {
    never_since_.reset();
  } else if (!never_since_) {
    never_since_ = now;
  }

  const bool down = failing(obs, now);
  if (!down) stranded_since_.reset();
  if (down != link_down()) {
    scheduler_.set_link_down(down, now, /*at_once=*/!obs.endpoint);
    if (down) {
      // Fail over at once from the answers we hold; towalink/wgtrack's down schedule refreshes
      // them.
      if (phase_ == RecoveryPhase::kIdle) start_round(step, now);
    } else if (phase_ == RecoveryPhase::kProbing) {
      go_idle(now);  // the link came back by itself: nothing to decide
    }
  }
  finish(step, now);
  return step;
}

EndpointStep EndpointManager::probed(std::uint64_t round, std::span<const CandidateProbe> results,
                                     MonoTime now) {
  EndpointStep step;
  if (phase_ != RecoveryPhase::kProbing || round != round_) return step;  // stale
  for (const CandidateProbe& r : results) {
    if (std::find(round_expected_.begin(), round_expected_.end(), r.address) ==
        round_expected_.end()) {
      continue;
    }
    std::erase_if(round_results_, [&](const CandidateProbe& x) { return x.address == r.address; });
    round_results_.push_back(r);
    const ProbeState now_state = r.reachable ? ProbeState::kReachable : ProbeState::kUnreachable;
    // Reported on the change only: a long outage re-probes every slot and must not spam.
    if (now_state == ProbeState::kUnreachable && probe_state(r.address) != now_state) {
      step.events.push_back(CandidateUnreachable{r.address, CandidateUnreachable::Cause::kIcmp});
    }
    set_probe_state(r.address, now_state);
  }
  if (round_results_.size() == round_expected_.size()) decide(step, now);
  finish(step, now);
  return step;
}

EndpointStep EndpointManager::tunnel_probed(MonoTime sent, bool ok, MonoTime now) {
  EndpointStep step;
  if (phase_ != RecoveryPhase::kConfirming || sent < attempt_at_) return step;  // not about it
  if (ok) {
    if (!proven_) proven_ = SwitchConfirmed::Via::kProbe;
    step.read = true;  // the tracker takes the reply with the next read, which settles it
  } else if (live_session_ && !proven_) {
    // The echo went out at once over a live keypair and nothing came back through this
    // endpoint: our packets do not arrive there (or theirs do not come back).
    attempt_failed(step, now);
  }
  finish(step, now);
  return step;
}

EndpointStep EndpointManager::write_failed(const Error& error, MonoTime now) {
  if (error.code == ErrorCode::kNotFound) return remove(now);
  EndpointStep step;
  if (phase_ != RecoveryPhase::kConfirming || !wrote_) return step;
  if (last_switch_) last_switch_->outcome = SwitchRecord::Outcome::kAborted;
  step.events.push_back(SwitchAborted{target_, "write failed: " + error.message});
  current_ = last_switch_ ? last_switch_->from : std::nullopt;
  go_idle(now);
  if (link_down()) retry_at_ = now + policy_.backoff.initial;  // no tight loop on a bad backend
  finish(step, now);
  return step;
}

EndpointStep EndpointManager::tick(MonoTime now) {
  EndpointStep step;
  finish(step, now);
  return step;
}

EndpointStep EndpointManager::remove(MonoTime now) {
  EndpointStep step;
  if (phase_ == RecoveryPhase::kRemoved) return step;
  if (phase_ == RecoveryPhase::kConfirming && wrote_) {
    if (last_switch_) last_switch_->outcome = SwitchRecord::Outcome::kAborted;
    step.events.push_back(SwitchAborted{target_, "peer removed"});
  }
  go_idle(now);
  phase_ = RecoveryPhase::kRemoved;
  for (HostState& h : hosts_) h.pending = false;
  return step;
}

bool EndpointManager::failing(const LinkObservation& obs, MonoTime now) const {
  if (obs.health == PeerHealth::kDown) return true;
  // No endpoint at all (wg-quick up without DNS at boot): WireGuard has nowhere to send, so
  // there is nothing to wait for.
  if (obs.health == PeerHealth::kNever && !obs.endpoint) return true;
  return obs.health == PeerHealth::kNever && policy_.never_grace && never_since_ &&
         now - *never_since_ >= *policy_.never_grace;
}

// --- Decisions ------------------------------------------------------------------------------

void EndpointManager::go_idle(MonoTime /*now*/) {
  phase_ = RecoveryPhase::kIdle;
  try_list_.clear();
  round_expected_.clear();
  round_results_.clear();
  retry_at_.reset();
}

void EndpointManager::start_round(EndpointStep& step, MonoTime now) {
  go_idle(now);
  auto candidates = tryable(now);
  if (candidates.empty()) {
    // Stranded: every candidate failed lately (e.g. A one way, then B; A may work again).
    // Waiting out the back-offs would keep the link down for 30 s or more.
    std::optional<Endpoint> first_free;
    std::optional<MonoTime> first_until;
    for (const Candidate& c : ordered(now)) {
      const auto until = backoff_.until(c.endpoint);
      if (until && *until > now && (!first_until || *until < *first_until)) {
        first_until = until;
        first_free = c.endpoint;
      }
    }
    if (!first_free) return;  // no candidate at all: the next resolution starts a round
    if (!stranded_since_) stranded_since_ = last_attempt_.value_or(now);
    if (now - *stranded_since_ < kStrandedRetry) {
      retry_at_ = std::min(*first_until, *stranded_since_ + kStrandedRetry);
      return;
    }
    backoff_.release(*first_free, now);
    stranded_since_ = now;
    candidates = tryable(now);
  }
  ProbeRequest req{++round_,
                   stagger_probes(candidates, now, policy_.attempt_delay, policy_.max_probes)};
  for (const ProbeStart& p : req.probes) round_expected_.push_back(p.address);
  round_deadline_ = req.probes.back().start + policy_.probe_timeout;
  phase_ = RecoveryPhase::kProbing;
  step.probe = std::move(req);
}

void EndpointManager::decide(EndpointStep& step, MonoTime now) {
  const auto candidates = tryable(now);
  const Selection sel = select_endpoint(
      SelectionInput{candidates, round_results_, current_, link_down(), policy_.probe});
  go_idle(now);
  if (sel.kind == Selection::Kind::kKeep) return;
  if (sel.kind == Selection::Kind::kNone) {
    retry_at_ = backoff_.earliest_expiry(now);
    return;
  }
  try_list_ = sel.try_list;
  next_attempt(step, now);
}

void EndpointManager::next_attempt(EndpointStep& step, MonoTime now) {
  std::erase_if(try_list_, [&](const Endpoint& e) { return backoff_.blocked(e, now); });
  if (try_list_.empty()) {
    start_round(step, now);  // back-off only grows, so this ends in idle at the latest
    return;
  }
  target_ = try_list_.front();
  try_list_.erase(try_list_.begin());
  wrote_ = target_ != current_;
  if (wrote_) {
    const auto all = ordered(now);
    const ChangeReason reason =
        current_ && contains(all, *current_) ? ChangeReason::kFailover : ChangeReason::kReresolve;
    step.write = target_;
    step.events.push_back(EndpointChanged{current_, target_, reason});
    last_switch_ = SwitchRecord{current_, target_, reason, now, SwitchRecord::Outcome::kPending};
    last_failover_reason_ = reason;
    current_ = target_;
  }
  attempt_at_ = now;
  last_attempt_ = now;
  baseline_handshake_ = last_obs_ ? last_obs_->last_handshake : std::nullopt;
  proven_.reset();
  reprobed_ = false;
  const auto age = last_obs_ ? last_obs_->handshake_age : std::nullopt;
  // A keypair younger than REJECT_AFTER_TIME still encrypts: the echo leaves at once.
  live_session_ = age && *age + kLiveProbeTimeout < timers::kRejectAfterTime;
  step.tunnel_probe = live_session_ ? kLiveProbeTimeout : kQueuedProbeTimeout;
  // A live session carries traffic to the new address on the next packet; but once the kernel
  // has sent an initiation (silence for KEEPALIVE_TIMEOUT + REKEY_TIMEOUT, or no session), the
  // next one waits for REKEY_TIMEOUT (wireguard-go and the kernel send no initiation within
  // REKEY_TIMEOUT = 5 s of the last one; measured on wireguard-go: 5.02 s however early the
  // switch).
  Duration window = policy_.confirm_window;
  if (!age || *age >= timers::kTxWithoutRxDown) window += timers::kRekeyTimeout;
  confirm_deadline_ = now + window;
  phase_ = RecoveryPhase::kConfirming;
}

void EndpointManager::check_confirm(const LinkObservation& obs, EndpointStep& step, MonoTime now) {
  // A handshake completes only when both directions work: the initiation reached the peer and
  // its response came back (or, as responder, the peer's first data after our response).
  if (!proven_ && obs.last_handshake &&
      (!baseline_handshake_ || *obs.last_handshake > *baseline_handshake_)) {
    proven_ = SwitchConfirmed::Via::kHandshake;
  }
  if (!proven_) return;
  if (obs.health == PeerHealth::kDown) {
    // The tracker still counts earlier lost probes: one probe through the new endpoint tells.
    if (*proven_ == SwitchConfirmed::Via::kHandshake && !reprobed_) {
      reprobed_ = true;
      live_session_ = true;  // the handshake just made a keypair
      step.tunnel_probe = kLiveProbeTimeout;
    }
    return;  // still down at the end of the window: this candidate failed
  }
  backoff_.succeed(target_);
  stranded_since_.reset();
  if (wrote_ && last_switch_) last_switch_->outcome = SwitchRecord::Outcome::kConfirmed;
  step.events.push_back(SwitchConfirmed{target_, *proven_, now - attempt_at_});
  go_idle(now);
}

void EndpointManager::attempt_failed(EndpointStep& step, MonoTime now) {
  backoff_.fail(target_, now);
  if (wrote_ && last_switch_) last_switch_->outcome = SwitchRecord::Outcome::kFailed;
  step.events.push_back(CandidateUnreachable{target_, CandidateUnreachable::Cause::kNoHandshake});
  phase_ = RecoveryPhase::kIdle;
  if (link_down()) {
    next_attempt(step, now);
  } else {
    go_idle(now);
  }
}

void EndpointManager::finish(EndpointStep& step, MonoTime now) {
  if (phase_ == RecoveryPhase::kRemoved) return;
  if (phase_ == RecoveryPhase::kConfirming && now >= confirm_deadline_) {
    if (link_down()) {
      attempt_failed(step, now);
    } else {
      // Back without proof through it (data arrived): keep it, blame nothing.
      if (wrote_ && last_switch_) last_switch_->outcome = SwitchRecord::Outcome::kUnproven;
      go_idle(now);
    }
  }
  if (phase_ == RecoveryPhase::kProbing && now >= round_deadline_) {
    // The prober owes us every result; a missing one counts as silence.
    for (const Endpoint& e : round_expected_) {
      if (std::none_of(round_results_.begin(), round_results_.end(),
                       [&](const CandidateProbe& r) { return r.address == e; })) {
        round_results_.push_back(CandidateProbe{e, false});
        set_probe_state(e, ProbeState::kUnreachable);
      }
    }
    decide(step, now);
  }
  if (phase_ == RecoveryPhase::kIdle && link_down() && retry_at_ && now >= *retry_at_) {
    start_round(step, now);
  }
  const bool names =
      std::any_of(hosts_.begin(), hosts_.end(), [](const HostState& h) { return !h.literal; });
  if (names && scheduler_.due(now)) {
    scheduler_.started(now);
    for (HostState& h : hosts_) {
      if (h.literal) continue;
      h.pending = true;
      step.resolve.push_back(h.host);
    }
  }

  std::optional<MonoTime> next;
  auto consider = [&](std::optional<MonoTime> t) {
    if (t && (!next || *t < *next)) next = t;
  };
  if (names) consider(scheduler_.next_due());
  if (phase_ == RecoveryPhase::kConfirming) consider(confirm_deadline_);
  if (phase_ == RecoveryPhase::kProbing) consider(round_deadline_);
  if (phase_ == RecoveryPhase::kIdle && link_down()) consider(retry_at_);
  if (!link_down() && never_since_ && policy_.never_grace) {
    consider(*never_since_ + *policy_.never_grace);  // observe() again then
  }
  step.next_deadline = next;
}

void EndpointManager::set_probe_state(const Endpoint& address, ProbeState state) {
  for (auto& [e, s] : probe_states_) {
    if (e == address) {
      s = state;
      return;
    }
  }
  probe_states_.emplace_back(address, state);
}

ProbeState EndpointManager::probe_state(const Endpoint& address) const {
  for (const auto& [e, s] : probe_states_) {
    if (e == address) return s;
  }
  return ProbeState::kUnknown;
}

}  // namespace wgtrack::endpoint
