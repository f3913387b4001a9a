// EndpointManager::status() and the status vocabulary: what the API shows per peer.
#include "endpoint/endpoint_manager.h"

namespace wgtrack::endpoint {

const char* to_string(RecoveryPhase phase) {
  switch (phase) {
    case RecoveryPhase::kIdle:
      return "idle";
    case RecoveryPhase::kProbing:
      return "probing";
    case RecoveryPhase::kConfirming:
      return "confirming";
    case RecoveryPhase::kRemoved:
      return "removed";
  }
  return "?";
}

const char* to_string(ProbeState state) {
  switch (state) {
    case ProbeState::kUnknown:
      return "unknown";
    case ProbeState::kReachable:
      return "reachable";
    case ProbeState::kUnreachable:
      return "unreachable";
  }
  return "?";
}

const char* to_string(SwitchRecord::Outcome outcome) {
  switch (outcome) {
    case SwitchRecord::Outcome::kPending:
      return "pending";
    case SwitchRecord::Outcome::kConfirmed:
      return "confirmed";
    case SwitchRecord::Outcome::kFailed:
      return "failed";
    case SwitchRecord::Outcome::kAborted:
      return "aborted";
    case SwitchRecord::Outcome::kUnproven:
      return "unproven";
  }
  return "?";
}

EndpointStatus EndpointManager::status(MonoTime now) const {
  EndpointStatus s;
  s.phase = phase_;
  s.resolve_phase = scheduler_.phase(now);
  s.current = current_;
  for (const Candidate& c : ordered(now)) {
    CandidateStatus cs{c.endpoint, hosts_[c.host_index].host.host()};
    cs.probe = probe_state(c.endpoint);
    cs.current = current_ == c.endpoint;
    cs.failures = backoff_.failures(c.endpoint);
    if (backoff_.blocked(c.endpoint, now)) cs.backoff_until = backoff_.until(c.endpoint);
    s.candidates.push_back(std::move(cs));
  }
  for (const HostState& h : hosts_) {
    HostStatus hs{h.host.host(), h.resolved.addresses.size()};
    if (h.error) {
      hs.error = h.error->message;
      hs.permanent = is_permanent_dns_error(*h.error);
    }
    s.hosts.push_back(std::move(hs));
  }
  s.last_switch = last_switch_;
  s.last_failover_reason = last_failover_reason_;
  s.next_resolve = scheduler_.next_due();
  if (phase_ == RecoveryPhase::kConfirming) s.confirm_deadline = confirm_deadline_;
  return s;
}

}  // namespace wgtrack::endpoint
