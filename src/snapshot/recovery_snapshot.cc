#include "snapshot/recovery_snapshot.h"

#include <algorithm>

namespace wgtrack {
namespace {

WallTime to_wall(MonoTime t, MonoTime mono, WallTime wall) {
  // Future instants (a back-off end, a deadline) stay in the future: no clamp here, unlike
  // state_since, which cannot lie ahead of the cycle.
  return wall - (mono - t);
}

}  // namespace

RecoverySnapshot to_recovery_snapshot(const endpoint::EndpointStatus& status, MonoTime mono,
                                      WallTime wall) {
  RecoverySnapshot r;
  r.phase = endpoint::to_string(status.phase);
  r.candidates.reserve(status.candidates.size());
  for (const endpoint::CandidateStatus& c : status.candidates) {
    CandidateSnapshot& o = r.candidates.emplace_back();
    o.endpoint = c.endpoint;
    o.host = c.host;
    o.probe = endpoint::to_string(c.probe);
    o.current = c.current;
    o.failures = c.failures;
    if (c.backoff_until) o.backoff_until = to_wall(*c.backoff_until, mono, wall);
  }
  r.hosts.reserve(status.hosts.size());
  for (const endpoint::HostStatus& h : status.hosts) {
    r.hosts.push_back({h.host, h.addresses, h.error, h.permanent});
  }
  if (status.last_switch) {
    const endpoint::SwitchRecord& s = *status.last_switch;
    r.last_switch = SwitchSnapshot{s.from, s.to, endpoint::to_string(s.reason),
                                   to_wall(s.at, mono, wall), endpoint::to_string(s.outcome)};
  }
  return r;
}

}  // namespace wgtrack
