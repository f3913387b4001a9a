#include "endpoint/selection.h"

#include <algorithm>

namespace wgtrack::endpoint {

std::vector<ProbeStart> stagger_probes(std::span<const Candidate> ordered, MonoTime now,
                                       Duration attempt_delay, std::size_t max_probes) {
  std::vector<ProbeStart> out;
  for (std::size_t i = 0; i < ordered.size() && i < max_probes; ++i) {
    out.push_back(
        ProbeStart{ordered[i].endpoint, now + attempt_delay * static_cast<std::int64_t>(i)});
  }
  return out;
}

namespace {

const CandidateProbe* find(std::span<const CandidateProbe> results, const Endpoint& address) {
  for (const CandidateProbe& r : results) {
    if (r.address == address) return &r;
  }
  return nullptr;
}

}  // namespace

Selection select_endpoint(const SelectionInput& in) {
  Selection s;
  if (!in.link_down) return s;  // kKeep: a working (or merely quiet) link is never moved

  std::vector<Endpoint> reachable, silent;
  for (const Candidate& c : in.ordered) {
    const CandidateProbe* r = find(in.results, c.endpoint);
    if (r != nullptr && r->reachable) {
      reachable.push_back(c.endpoint);
    } else if (in.method == ProbeMethod::kHandshake && r != nullptr && c.endpoint != in.current) {
      silent.push_back(c.endpoint);  // may just filter ICMP: worth a real try, after the others
    }
  }

  const bool current_reachable =
      in.current && std::find(reachable.begin(), reachable.end(), *in.current) != reachable.end();
  if (current_reachable) {
    // Prefer staying: the reachable current endpoint goes first, then the others in order.
    std::erase(reachable, *in.current);
    reachable.insert(reachable.begin(), *in.current);
  }
  s.try_list = std::move(reachable);
  s.try_list.insert(s.try_list.end(), silent.begin(), silent.end());
  if (s.try_list.empty()) {
    s.kind = Selection::Kind::kNone;
  } else {
    s.kind = current_reachable ? Selection::Kind::kStay : Selection::Kind::kSwitch;
  }
  return s;
}

}  // namespace wgtrack::endpoint
