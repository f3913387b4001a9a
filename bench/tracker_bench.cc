// One daemon cycle's pure work at scale: snapshot diff + health of every peer + events
// (PeerTable::update: the peer records), with a few changes per cycle (handshakes, one roam,
// traffic).
// Budget: <= 0.2 x the raw read of the same interface (~15 ms at 10,000 peers, so <= ~1 ms
// here): the target "one cycle costs <= 1.2 x the raw read" (docs/architecture.md, Targets).
#include <benchmark/benchmark.h>

#include <vector>

#include "support/fake_clock.h"
#include "monitor/peer_table.h"

namespace {

using namespace std::chrono_literals;

wgtrack::Device make_device(std::size_t peers, wgtrack::WallTime now) {
  wgtrack::Device d;
  d.name = "wg0";
  d.peers.resize(peers);
  for (std::size_t i = 0; i < peers; ++i) {
    auto& p = d.peers[i];
    wgtrack::PublicKey::Bytes k{};
    for (std::size_t b = 0; b < 8; ++b)
      k[b] = static_cast<std::uint8_t>((i * 2654435761u) >> (8 * b));
    k[31] = 0x5a;
    p.public_key = wgtrack::PublicKey(k);
    p.endpoint = wgtrack::Endpoint::ipv4(
        {198, 18, static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i)}, 51820);
    const std::uint8_t v4[4] = {10, 0, static_cast<std::uint8_t>(i >> 8),
                                static_cast<std::uint8_t>(i)};
    p.allowed_ips.push_back(*wgtrack::IpPrefix::make(wgtrack::IpFamily::kIPv4, v4, 32));
    if (i % 5 != 0) p.last_handshake = now - std::chrono::seconds(i % 100);
    p.rx_bytes = i * 1000;
    p.tx_bytes = i * 2000;
    p.persistent_keepalive = 25;
  }
  return d;
}

// Args: peers, peers changed per cycle.
void BM_PeerTableCycle(benchmark::State& state) {
  const auto peers = static_cast<std::size_t>(state.range(0));
  const auto changed = static_cast<std::size_t>(state.range(1));
  wgtrack::testing::FakeClock clock;
  wgtrack::PeerTable tracker(
      [](const wgtrack::PublicKey&) { return wgtrack::ResolvedPeerPolicy{}; });
  std::vector<wgtrack::TrackerEvent> events;
  wgtrack::Device next = make_device(peers, clock.wall_now());
  tracker.update(next, clock.mono_now(), clock.wall_now(), events);
  std::size_t cycle = 0, total_events = 0;
  for (auto _ : state) {
    // Outside the timing: the backend read builds a fresh Device each cycle; here we copy the
    // previous one and mutate a few peers.
    state.PauseTiming();
    next = tracker.device();
    clock.advance(1s);
    ++cycle;
    for (std::size_t j = 0; j < changed; ++j) {
      auto& p = next.peers[(cycle * 7919 + j * 104729) % peers];
      p.last_handshake = clock.wall_now();
      p.rx_bytes += 92 + 128;
      p.tx_bytes += 148 + 128;
    }
    next.peers[cycle % peers].endpoint->set_port(static_cast<std::uint16_t>(1000 + cycle % 60000));
    events.clear();
    state.ResumeTiming();

    tracker.update(std::move(next), clock.mono_now(), clock.wall_now(), events);
    total_events += events.size();
    benchmark::DoNotOptimize(events.data());
  }
  state.counters["peers"] = static_cast<double>(peers);
  state.counters["events/cycle"] = static_cast<double>(total_events) / static_cast<double>(cycle);
  state.counters["ns/peer"] =
      benchmark::Counter(static_cast<double>(peers), benchmark::Counter::kIsIterationInvariantRate |
                                                         benchmark::Counter::kInvert);
}
BENCHMARK(BM_PeerTableCycle)
    ->Args({1000, 10})
    ->Args({10000, 10})
    ->Args({10000, 100})
    ->Unit(benchmark::kMicrosecond);

// The diff alone (aligned fast path, and after one removal near the front: index resync).
void BM_SnapshotDiff(benchmark::State& state) {
  const auto peers = static_cast<std::size_t>(state.range(0));
  wgtrack::testing::FakeClock clock;
  const wgtrack::Device before = make_device(peers, clock.wall_now());
  wgtrack::Device after = before;
  if (state.range(1) != 0) after.peers.erase(after.peers.begin() + 3);
  wgtrack::SnapshotDiffer differ;
  std::vector<wgtrack::PeerChange> out;
  for (auto _ : state) {
    differ.diff(before, after, out);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_SnapshotDiff)->Args({10000, 0})->Args({10000, 1})->Unit(benchmark::kMicrosecond);

}  // namespace
