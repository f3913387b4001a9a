#include "endpoint/candidate_backoff.h"

#include <algorithm>

namespace wgtrack::endpoint {

Duration CandidateBackoff::fail(const Endpoint& candidate, MonoTime now) {
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const Entry& e) { return e.candidate == candidate; });
  if (it == entries_.end()) it = entries_.insert(entries_.end(), Entry{candidate, 0, now});
  ++it->failures;
  Duration d = policy_.initial;
  for (int i = 1; i < it->failures && d < policy_.max; ++i) d *= 2;
  d = std::min(d, policy_.max);
  it->until = now + d;
  return d;
}

void CandidateBackoff::succeed(const Endpoint& candidate) {
  std::erase_if(entries_, [&](const Entry& e) { return e.candidate == candidate; });
}

void CandidateBackoff::release(const Endpoint& candidate, MonoTime now) {
  for (Entry& e : entries_) {
    if (e.candidate == candidate && e.until > now) e.until = now;
  }
}

const CandidateBackoff::Entry* CandidateBackoff::find(const Endpoint& candidate) const {
  for (const Entry& e : entries_) {
    if (e.candidate == candidate) return &e;
  }
  return nullptr;
}

bool CandidateBackoff::blocked(const Endpoint& candidate, MonoTime now) const {
  const Entry* e = find(candidate);
  return e != nullptr && now < e->until;
}

std::optional<MonoTime> CandidateBackoff::until(const Endpoint& candidate) const {
  const Entry* e = find(candidate);
  if (e == nullptr) return std::nullopt;
  return e->until;
}

int CandidateBackoff::failures(const Endpoint& candidate) const {
  const Entry* e = find(candidate);
  return e == nullptr ? 0 : e->failures;
}

std::optional<MonoTime> CandidateBackoff::earliest_expiry(MonoTime now) const {
  std::optional<MonoTime> best;
  for (const Entry& e : entries_) {
    if (e.until > now && (!best || e.until < *best)) best = e.until;
  }
  return best;
}

void CandidateBackoff::prune(MonoTime now) {
  std::erase_if(entries_, [&](const Entry& e) { return e.until + policy_.max < now; });
}

}  // namespace wgtrack::endpoint
