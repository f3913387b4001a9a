#include "snapshot/peer_stats_book.h"

namespace wgtrack {

PeerStatsBook::Entry& PeerStatsBook::entry(const std::string& interface, const PublicKey& peer) {
  auto it = book_.find(interface);
  if (it == book_.end()) it = book_.emplace(interface, decltype(book_)::mapped_type{}).first;
  return it->second[peer];
}

void PeerStatsBook::record_cycle(const CycleOutput& out) {
  for (const Event& e : out.events) {
    if (e.type == EventType::kPeerRemoved) {
      auto it = book_.find(e.interface);
      if (it == book_.end()) continue;
      it->second.erase(e.peer);
      if (it->second.empty()) book_.erase(it);
      continue;
    }
    Entry& en = entry(e.interface, e.peer);
    if (e.type == EventType::kEndpointChanged) {
      auto [r, inserted] = en.endpoint_changes.try_emplace(e.reason, 0);
      ++r->second;
    } else if (e.type == EventType::kInitialStatus || e.type == EventType::kPeerAdded ||
               e.type == EventType::kStatusChange) {
      en.state_reason = e.reason;
    }
  }
  for (const ProbeOrder& p : out.probes) ++entry(p.interface, p.peer).probes_sent;
}

void PeerStatsBook::record_probe(const std::string& interface, const PublicKey& peer,
                                 const ProbeSample& sample) {
  auto it = book_.find(interface);
  if (it == book_.end()) return;
  auto e = it->second.find(peer);
  if (e == it->second.end()) return;  // removed meanwhile: never resurrect it
  if (sample.ok) {
    if (sample.rtt) e->second.last_rtt = sample.rtt;
  } else {
    ++e->second.probes_lost;
  }
}

const PeerStatsBook::Entry* PeerStatsBook::find(const std::string& interface,
                                                const PublicKey& peer) const {
  auto it = book_.find(interface);
  if (it == book_.end()) return nullptr;
  auto e = it->second.find(peer);
  return e == it->second.end() ? nullptr : &e->second;
}

std::size_t PeerStatsBook::size() const {
  std::size_t n = 0;
  for (const auto& [name, peers] : book_) n += peers.size();
  return n;
}

}  // namespace wgtrack
