#include "sinks/history/counter_book.h"

namespace wgtrack {

CounterDelta counter_delta(std::optional<std::uint64_t> previous_rx,
                           std::optional<std::uint64_t> previous_tx, std::uint64_t rx,
                           std::uint64_t tx) {
  if (!previous_rx || !previous_tx) return {};
  // Both counters of a peer restart together (the kernel and wireguard-go zero them when the
  // peer is created), so one going backwards means both now count from the reset: the later
  // one may already have passed its old value.
  if (rx < *previous_rx || tx < *previous_tx) return {rx, tx, true};
  return {rx - *previous_rx, tx - *previous_tx, false};
}

std::int64_t bucket_start(WallTime t, std::chrono::seconds resolution) {
  const std::int64_t s = std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
  const std::int64_t r = resolution.count() > 0 ? resolution.count() : 1;
  std::int64_t q = s / r;
  if (s % r != 0 && s < 0) --q;
  return q * r;
}

CounterBook::CounterBook(std::chrono::seconds resolution) : resolution_(resolution) {}

std::uint32_t CounterBook::interface_id(const std::string& name) {
  for (std::uint32_t i = 0; i < interfaces_.size(); ++i) {
    if (interfaces_[i] == name) return i;
  }
  interfaces_.push_back(name);
  return static_cast<std::uint32_t>(interfaces_.size() - 1);
}

void CounterBook::seed(const std::vector<CounterSeed>& seeds) {
  for (const CounterSeed& seed : seeds) {
    auto key = PublicKey::from_base64(seed.key);
    if (!key) continue;  // not written by us: ignore rather than guess
    const std::uint32_t slot = slot_of(interface_id(seed.interface), seed.key, *key);
    State& s = states_[slot];
    s.rx_total = seed.rx_total;
    s.tx_total = seed.tx_total;
    s.rx_last = seed.rx_last;
    s.tx_last = seed.tx_last;
  }
}

std::uint32_t CounterBook::slot_of(std::uint32_t iface, const std::string& key_text,
                                   const PublicKey& key) {
  std::string id = interfaces_[iface] + '\n' + key_text;
  if (auto it = index_.find(id); it != index_.end()) return it->second;
  const auto slot = static_cast<std::uint32_t>(states_.size());
  State s;
  s.key = key;
  s.iface = iface;
  s.key_text = key_text;
  index_.emplace(std::move(id), slot);
  states_.push_back(std::move(s));
  return slot;
}

void CounterBook::emit(std::uint32_t slot, State& s, CounterOutput& out) {
  if (!s.bucket) return;
  // Rows come a whole minute at a time: grow for all of them at once.
  if (out.rows.capacity() == out.rows.size()) out.rows.reserve(out.rows.size() + states_.size());
  out.rows.push_back({.slot = slot,
                      .start = *s.bucket,
                      .rx = s.bucket_rx,
                      .tx = s.bucket_tx,
                      .rx_total = s.rx_total,
                      .tx_total = s.tx_total,
                      .rx_last = s.rx_last.value_or(0),
                      .tx_last = s.tx_last.value_or(0),
                      .last_seen = s.last_seen});
  s.bucket.reset();
  s.bucket_rx = s.bucket_tx = 0;
}

void CounterBook::sample(std::uint32_t slot, const PeerSnapshot& peer, WallTime t,
                         std::int64_t bucket, CounterOutput& out) {
  State& s = states_[slot];
  s.round = round_;
  if (!s.announced || s.name != peer.name) {
    s.announced = true;
    s.name = peer.name;
    out.peers.push_back({slot, interfaces_[s.iface], s.key_text, s.name, t});
  }
  if (s.bucket && *s.bucket != bucket) emit(slot, s, out);
  const CounterDelta d = counter_delta(s.rx_last, s.tx_last, peer.rx_bytes, peer.tx_bytes);
  if (d.reset) {
    ++resets_;
    ++out.resets;
  }
  s.rx_last = peer.rx_bytes;
  s.tx_last = peer.tx_bytes;
  s.rx_total += d.rx;
  s.tx_total += d.tx;
  s.bucket = bucket;
  s.bucket_rx += d.rx;
  s.bucket_tx += d.tx;
  s.last_seen = t;
}

void CounterBook::observe(const Snapshot& snapshot, CounterOutput& out) {
  ++round_;
  const std::int64_t bucket = bucket_start(snapshot.taken_at, resolution_);
  std::size_t i = 0;
  bool same_peers = true;
  for (const InterfaceSnapshot& iface : snapshot.interfaces) {
    const std::uint32_t iface_id = interface_id(iface.name);
    for (const PeerSnapshot& peer : iface.peers) {
      std::uint32_t slot;
      // Fast path: the peer at this position is the one that was here last time (compared by
      // the key's bytes, which live inside both structs: no pointer to chase).
      if (i < order_.size() && states_[order_[i]].key == peer.public_key &&
          states_[order_[i]].iface == iface_id) {
        slot = order_[i];
      } else {
        same_peers = false;
        slot = slot_of(iface_id, peer.key, peer.public_key);
        if (i < order_.size()) {
          order_[i] = slot;
        } else {
          order_.push_back(slot);
        }
      }
      sample(slot, peer, snapshot.taken_at, bucket, out);
      ++i;
    }
  }
  if (i != order_.size()) same_peers = false;
  order_.resize(i);
  if (same_peers) return;
  // Peers that vanished (removed, or their interface went away): close their bucket now, so
  // the traffic they had is stored even if they never come back.
  for (std::uint32_t slot = 0; slot < states_.size(); ++slot) {
    if (states_[slot].round != round_) emit(slot, states_[slot], out);
  }
}

void CounterBook::close_all(CounterOutput& out) {
  for (std::uint32_t slot = 0; slot < states_.size(); ++slot) emit(slot, states_[slot], out);
}

}  // namespace wgtrack
