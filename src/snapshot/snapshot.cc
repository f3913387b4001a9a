#include "snapshot/snapshot.h"

namespace wgtrack {

bool counts_as_up(PeerHealth health) {
  return health == PeerHealth::kUp || health == PeerHealth::kIdle || health == PeerHealth::kStale;
}

std::uint64_t InterfaceSnapshot::count(PeerHealth health) const {
  std::uint64_t n = 0;
  for (const PeerSnapshot& p : peers) n += p.health == health ? 1 : 0;
  return n;
}

}  // namespace wgtrack
