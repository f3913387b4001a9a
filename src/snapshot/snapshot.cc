#include "snapshot/snapshot.h"

#include <algorithm>

namespace wgtrack {

bool counts_as_up(PeerHealth health) {
  return health == PeerHealth::kUp || health == PeerHealth::kIdle || health == PeerHealth::kStale;
}

std::uint64_t InterfaceSnapshot::count(PeerHealth health) const {
  std::uint64_t n = 0;
  for (const PeerSnapshot& p : peers) n += p.health == health ? 1 : 0;
  return n;
}

namespace {

// Compared as string_view on both sides: clang 14 with libstdc++ 12 cannot compare a
// std::string with a std::string_view through operator<=> (invalid operands in <string_view>).
template <typename S>
auto* find_interface_in(S& s, std::string_view name) {
  auto it = std::lower_bound(
      s.interfaces.begin(), s.interfaces.end(), name,
      [](const InterfaceSnapshot& i, std::string_view n) { return std::string_view(i.name) < n; });
  return it != s.interfaces.end() && std::string_view(it->name) == name ? &*it : nullptr;
}

template <typename I>
auto* find_peer_in(I& i, std::string_view key) {
  auto it = std::lower_bound(
      i.peers.begin(), i.peers.end(), key,
      [](const PeerSnapshot& p, std::string_view k) { return std::string_view(p.key) < k; });
  return it != i.peers.end() && std::string_view(it->key) == key ? &*it : nullptr;
}

}  // namespace

const InterfaceSnapshot* find_interface(const Snapshot& snapshot, std::string_view name) {
  return find_interface_in(snapshot, name);
}
InterfaceSnapshot* find_interface(Snapshot& snapshot, std::string_view name) {
  return find_interface_in(snapshot, name);
}
const PeerSnapshot* find_peer(const InterfaceSnapshot& interface, std::string_view key) {
  return find_peer_in(interface, key);
}
PeerSnapshot* find_peer(InterfaceSnapshot& interface, std::string_view key) {
  return find_peer_in(interface, key);
}

}  // namespace wgtrack
