// /api/v1/status rendering (target: JSON status for 10,000 peers <= 20 ms) from the
// synthetic Snapshot of the Prometheus benchmark, with the API-only fields filled (reason,
// rates). Also a single-peer lookup (/api/v1/peers/{key}) and an /api/v1/events page.
#include <benchmark/benchmark.h>

#include <string>

#include "sinks/json/event_ring.h"
#include "sinks/json/json_api.h"
#include "synthetic_snapshot.h"

namespace {

using namespace wgtrack;
using namespace std::chrono_literals;

void BM_StatusJson(benchmark::State& state) {
  const std::size_t peers = static_cast<std::size_t>(state.range(0));
  const Snapshot s = bench::synthetic_snapshot(peers, true);
  JsonApiOptions o;
  o.version = "0.1.0";
  o.uptime = 3600s;
  std::string out;
  render_status_json(s, o, out);  // the previous snapshot's buffer, as DocumentCache reuses it
  for (auto _ : state) {
    out.clear();  // the transport keeps its buffer: capacity is reused request after request
    render_status_json(s, o, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["ns_per_peer"] =
      benchmark::Counter(static_cast<double>(state.iterations() * peers),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_StatusJson)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

// A fresh string per request (no reused buffer): what a server that allocates per response pays.
void BM_StatusJsonFreshBuffer(benchmark::State& state) {
  const Snapshot s = bench::synthetic_snapshot(static_cast<std::size_t>(state.range(0)), true);
  for (auto _ : state) {
    std::string out = render_status_json(s);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_StatusJsonFreshBuffer)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_PeerJson(benchmark::State& state) {
  const Snapshot s = bench::synthetic_snapshot(static_cast<std::size_t>(state.range(0)), true);
  const std::string key = s.interfaces[0].peers[s.interfaces[0].peers.size() / 2].key;
  for (auto _ : state) {
    auto out = render_peer_json(s, key);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_PeerJson)->Arg(10000)->Unit(benchmark::kMicrosecond);

void BM_EventsJson(benchmark::State& state) {
  EventRing ring;
  Event e;
  e.type = EventType::kStatusChange;
  e.timestamp = WallTime(1763771123s);
  e.interface = "wg0";
  e.name = "branch office";
  e.old_status = "up";
  e.status = "down";
  e.endpoint = *Endpoint::parse("192.0.2.2:51820");
  e.reason = "2 probes failed";
  for (std::size_t n = 0; n < ring.capacity() * 2; ++n) ring.publish(e);
  std::string out;
  for (auto _ : state) {
    out.clear();
    render_events_json(ring.since(0), out);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_EventsJson)->Unit(benchmark::kMicrosecond);

}  // namespace
