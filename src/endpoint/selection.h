// Which candidate to use (pure). Probes run in parallel with staggered starts (RFC 8305
// section 5, "Connection Attempt Delay", default 250 ms: the preferred candidate gets a head
// start without letting a black hole stall the others); the choice then follows preference
// order, not arrival order, so a black-holed IPv6 costs one probe timeout, never a minute of
// sequential pings (as a cron endpoint manager that pings candidates one by one does).
//
// Stickiness (what such a manager gets wrong, and docs/architecture.md rule 6):
//   - a link that is not down is never moved, whatever the probes or DNS say; this covers an
//     endpoint the peer roamed to (not among our candidates) and DNS round-robin reordering;
//   - a down link whose current endpoint is still a candidate and answered its probe stays
//     (the caller then confirms it like a switch; a reorder alone never moves it).
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "core/clock.h"
#include "core/endpoint.h"
#include "endpoint/candidates.h"
#include "endpoint/endpoint_types.h"

namespace wgtrack::endpoint {

// RFC 8305 section 5 recommends 250 ms (minimum 100 ms, maximum 2 s).
inline constexpr Duration kDefaultAttemptDelay = std::chrono::milliseconds(250);

struct ProbeStart {
  Endpoint address;
  MonoTime start;
};

// Start times: candidate i at now + i * attempt_delay, at most `max_probes` of them.
std::vector<ProbeStart> stagger_probes(std::span<const Candidate> ordered, MonoTime now,
                                       Duration attempt_delay, std::size_t max_probes = 16);

struct CandidateProbe {
  Endpoint address;
  bool reachable = false;
};

struct SelectionInput {
  std::span<const Candidate> ordered;       // order_candidates(), back-off already applied
  std::span<const CandidateProbe> results;  // one per probed candidate; missing = not probed
  std::optional<Endpoint> current;          // the kernel's endpoint now
  bool link_down = false;
  ProbeMethod method = ProbeMethod::kIcmp;
};

struct Selection {
  enum class Kind : std::uint8_t {
    kKeep,    // link not down: leave it alone
    kStay,    // down, current endpoint reachable: keep it and confirm it
    kSwitch,  // down: switch to try_list.front()
    kNone,    // down and nothing to try
  };
  Kind kind = Kind::kKeep;
  // Candidates to try in this order (front first; the rest if the front fails to confirm).
  // kStay: the current endpoint first. kIcmp: reachable candidates only. kHandshake: reachable
  // ones first, then the ones that did not answer ICMP (but never the current endpoint that
  // just failed, unless it answered).
  std::vector<Endpoint> try_list;
};

Selection select_endpoint(const SelectionInput& in);

}  // namespace wgtrack::endpoint
