// EndpointManager: the DNS side (answers in, schedule and candidates updated).
#include <algorithm>

#include "endpoint/endpoint_manager.h"

namespace wgtrack::endpoint {

EndpointStep EndpointManager::resolved(const HostPort& host, const HostAnswer& answer, MonoTime now,
                                       double u) {
  EndpointStep step;
  if (phase_ == RecoveryPhase::kRemoved) return step;
  auto it = std::find_if(hosts_.begin(), hosts_.end(),
                         [&](const HostState& h) { return h.host == host && h.pending; });
  if (it == hosts_.end()) return step;  // not asked (or asked again since): stale
  it->pending = false;
  if (answer.ok()) {
    it->resolved = host_addresses(host, &answer.value());
    it->min_ttl.reset();
    for (const ResolvedAddress& r : answer->addresses) {
      if (usable_address(r.address) && (!it->min_ttl || r.ttl < *it->min_ttl)) it->min_ttl = r.ttl;
    }
    it->error.reset();
    if (it->resolved.addresses.empty()) {
      // An answer without a usable address is NODATA for our purpose.
      it->error = Error(ErrorCode::kPermanent, "no usable A/AAAA record");
    }
  } else {
    it->error = answer.error();
  }
  if (it->error) {
    const bool permanent = is_permanent_dns_error(*it->error);
    step.events.push_back(ResolveFailed{host.host(), permanent, it->error->message});
    // NXDOMAIN/NODATA is the name's authoritative state: forget its addresses. A timeout says
    // nothing about them: keep the last answer (stale beats none, as RFC 8767 argues).
    if (permanent) it->resolved.addresses.clear();
  }
  if (std::none_of(hosts_.begin(), hosts_.end(), [](const HostState& h) { return h.pending; })) {
    round_complete(now, u);
    if (link_down() && phase_ == RecoveryPhase::kIdle) start_round(step, now);
  }
  finish(step, now);
  return step;
}

void EndpointManager::round_complete(MonoTime now, double u) {
  // The TTL that matters is the current endpoint's host's (its expiry may move the peer);
  // without one, the shortest of all answers.
  const HostState* current_host = nullptr;
  for (const HostState& h : hosts_) {
    if (!h.literal && current_ &&
        std::find(h.resolved.addresses.begin(), h.resolved.addresses.end(), *current_) !=
            h.resolved.addresses.end()) {
      current_host = &h;
      break;
    }
  }
  ResolveOutcome outcome = ResolveOutcome::permanent();
  if (current_host != nullptr && !current_host->error && current_host->min_ttl) {
    outcome = ResolveOutcome::answer(*current_host->min_ttl);
  } else {
    std::optional<std::chrono::seconds> ttl;
    bool transient = false;
    for (const HostState& h : hosts_) {
      if (h.literal) continue;
      if (!h.error && h.min_ttl) ttl = ttl ? std::min(*ttl, *h.min_ttl) : *h.min_ttl;
      if (h.error && !is_permanent_dns_error(*h.error)) transient = true;
    }
    if (ttl) {
      outcome = ResolveOutcome::answer(*ttl);
    } else if (transient) {
      outcome = ResolveOutcome::transient();
    }
  }
  scheduler_.finished(now, outcome, u);
  backoff_.prune(now);
}

}  // namespace wgtrack::endpoint
