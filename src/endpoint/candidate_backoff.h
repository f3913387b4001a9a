// CandidateBackoff: per-candidate exponential back-off after a failed switch. A candidate we
// switched to that showed no handshake or rx within the confirm window is not tried again for
// `initial`, then 2x, 4x ... up to `max`; one confirmed switch clears its history. ICMP
// silence alone does not start a back-off (a local outage would otherwise bench every
// candidate): it only rules a candidate out for the probe round that saw it.
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "core/clock.h"
#include "core/endpoint.h"
#include "endpoint/endpoint_types.h"

namespace wgtrack::endpoint {

struct BackoffPolicy {
  Duration initial = std::chrono::seconds(30);
  Duration max = std::chrono::minutes(15);
};

class CandidateBackoff {
 public:
  explicit CandidateBackoff(BackoffPolicy policy = {}) : policy_(policy) {}

  // Records a failure at `now`; returns the back-off now in force (initial * 2^(n-1), <= max).
  Duration fail(const Endpoint& candidate, MonoTime now);
  // A confirmed switch: forgets the candidate's failures.
  void succeed(const Endpoint& candidate);
  // Ends the candidate's back-off now but keeps its failure count (a next failure backs off
  // longer): used when every candidate is backing off and the link is down.
  void release(const Endpoint& candidate, MonoTime now);

  // True while `candidate` must not be tried (now < until).
  bool blocked(const Endpoint& candidate, MonoTime now) const;
  std::optional<MonoTime> until(const Endpoint& candidate) const;  // nullopt: never failed
  int failures(const Endpoint& candidate) const;                   // since the last success
  // The earliest end of a back-off still in force at `now`; nullopt if none.
  std::optional<MonoTime> earliest_expiry(MonoTime now) const;
  // Forgets entries whose back-off ended more than `max` ago (bounded memory with rotating DNS).
  void prune(MonoTime now);

  const BackoffPolicy& policy() const { return policy_; }

 private:
  struct Entry {
    Endpoint candidate;
    int failures = 0;
    MonoTime until;
  };
  const Entry* find(const Endpoint& candidate) const;

  BackoffPolicy policy_;
  std::vector<Entry> entries_;  // a handful per peer: linear search
};

}  // namespace wgtrack::endpoint
