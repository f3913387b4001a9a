// CounterBook: turns the raw rx/tx byte counters WireGuard reports each cycle into traffic
// history: per-peer deltas summed into 1-minute buckets, and running totals. Pure: no I/O, no
// clock (the Snapshot's taken_at is the time); the HistorySink hands its output to the writer.
//
// Counter resets. WireGuard's counters start at 0 when the interface or the peer is
// (re)created. When rx or tx is lower than in the previous sample, the peer was reset: both
// deltas are then the new raw values (the traffic since the reset), never a negative or a
// subtracted value. A peer removed and re-added between two samples whose counters have
// already passed the old values cannot be told apart from continuous traffic (nothing can).
//
// Totals survive daemon restarts because they are stored, not recomputed from the live
// counter: seed() loads each peer's stored totals and last raw counters, and the first sample
// after a restart continues from them (the traffic while the daemon was down is counted if the
// counter did not reset meanwhile). A peer seen for the first time starts at total 0: history
// counts from when wgtrack first saw the peer.
//
// Buckets: a sample's delta goes to the bucket [floor(t / resolution) * resolution, +resolution)
// of the snapshot's wall time. A bucket is emitted when a later sample falls into another
// bucket, when the peer disappears from the snapshots, or at close_all() (shutdown). The writer
// adds emitted rows to what is stored for the same bucket, so a bucket cut in two by a restart
// or emitted twice adds up. Wall time going backwards puts the delta in the earlier bucket.
//
// Cost: observe() walks the snapshot once; when the peers are the same as last time (the usual
// case) it matches them by position without a lookup or an allocation.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "snapshot/snapshot.h"

namespace wgtrack {

// The traffic of one sample: deltas since the previous one, and whether the counters reset.
struct CounterDelta {
  std::uint64_t rx = 0;
  std::uint64_t tx = 0;
  bool reset = false;
  friend bool operator==(const CounterDelta&, const CounterDelta&) = default;
};

// The delta rule above, for one peer. `previous` nullopt: first sight, delta 0 (a baseline).
CounterDelta counter_delta(std::optional<std::uint64_t> previous_rx,
                           std::optional<std::uint64_t> previous_tx, std::uint64_t rx,
                           std::uint64_t tx);

// Start of the bucket of `t` (unix seconds, floor, also for times before 1970).
std::int64_t bucket_start(WallTime t, std::chrono::seconds resolution);

// What the store knows about a peer from earlier runs.
struct CounterSeed {
  std::string interface;
  std::string key;  // base64
  std::uint64_t rx_total = 0;
  std::uint64_t tx_total = 0;
  std::optional<std::uint64_t> rx_last;  // raw counters of the last stored sample
  std::optional<std::uint64_t> tx_last;
};

// A peer the writer must know before rows name its slot (once per peer per CounterBook).
struct PeerAnnouncement {
  std::uint32_t slot = 0;
  std::string interface;
  std::string key;
  std::string name;
  WallTime seen{};
};

// One closed bucket of one peer, with the peer's state after it (for the peers table).
struct BucketRow {
  std::uint32_t slot = 0;
  std::int64_t start = 0;  // unix seconds
  std::uint64_t rx = 0;    // bytes in the bucket
  std::uint64_t tx = 0;
  std::uint64_t rx_total = 0;  // totals at the end of the bucket
  std::uint64_t tx_total = 0;
  std::uint64_t rx_last = 0;  // raw counters of the last sample in the bucket
  std::uint64_t tx_last = 0;
  WallTime last_seen{};
};

struct CounterOutput {
  std::vector<PeerAnnouncement> peers;
  std::vector<BucketRow> rows;
  std::uint64_t resets = 0;  // counter resets detected
  bool empty() const { return peers.empty() && rows.empty(); }
};

class CounterBook {
 public:
  explicit CounterBook(std::chrono::seconds resolution = std::chrono::minutes(1));

  // Before the first observe(): what the store kept from earlier runs.
  void seed(const std::vector<CounterSeed>& seeds);
  // One sample of every peer in the snapshot; appends to `out`.
  void observe(const Snapshot& snapshot, CounterOutput& out);
  // Emits every open bucket (shutdown).
  void close_all(CounterOutput& out);

  std::size_t peers() const { return states_.size(); }
  std::uint64_t resets() const { return resets_; }

 private:
  // Hot fields first: observe() touches only these for a peer it already knows.
  struct State {
    PublicKey key;
    std::uint32_t iface = 0;  // index into interfaces_
    bool announced = false;
    std::uint64_t round = 0;  // the observe() round that last saw it
    std::optional<std::uint64_t> rx_last, tx_last;
    std::uint64_t rx_total = 0, tx_total = 0;
    std::optional<std::int64_t> bucket;  // start of the open bucket
    std::uint64_t bucket_rx = 0, bucket_tx = 0;
    WallTime last_seen{};
    std::string key_text;  // base64
    std::string name;
  };

  std::uint32_t interface_id(const std::string& name);
  std::uint32_t slot_of(std::uint32_t iface, const std::string& key_text, const PublicKey& key);
  void sample(std::uint32_t slot, const PeerSnapshot& peer, WallTime t, std::int64_t bucket,
              CounterOutput& out);
  void emit(std::uint32_t slot, State& s, CounterOutput& out);

  std::chrono::seconds resolution_;
  std::vector<State> states_;                             // by slot
  std::vector<std::string> interfaces_;                   // by CounterBook interface id
  std::unordered_map<std::string, std::uint32_t> index_;  // interface + '\n' + key -> slot
  std::vector<std::uint32_t> order_;                      // slots in the last snapshot's order
  std::uint64_t round_ = 0;
  std::uint64_t resets_ = 0;
};

}  // namespace wgtrack
