// The daemon's per-cycle work after the read (target: a whole cycle at 10,000 peers must
// cost <= 1.2x the raw read): Monitor::run_cycle on a 10,000-peer device whose counters move,
// without probes (ping_interval = 0) and with probes ordered for every peer.
#include <benchmark/benchmark.h>

#include "config/config.h"
#include "monitor/monitor.h"
#include "support/uapi_generator.h"
#include "wireguard/uapi_codec.h"

namespace {

using namespace wgtrack;

void run(benchmark::State& state, const char* config_text) {
  const std::size_t peers = static_cast<std::size_t>(state.range(0));
  const Device base = *decode_uapi_get(testing::make_uapi_reply(peers, 1), "wg0");
  auto cfg = config::parse_config(config_text, "bench");
  Monitor monitor(std::make_shared<const config::Config>(std::move(cfg.config)));
  MonoTime mono(std::chrono::seconds(1000));
  WallTime wall(std::chrono::seconds(1763780000));
  std::uint64_t round = 0;
  auto cycle = [&] {
    Device d = base;  // the read's result (copy made outside the timed region below)
    for (auto& p : d.peers) p.rx_bytes += round * 100;
    return d;
  };
  {
    CycleOutput out;
    monitor.run_cycle({{"wg0", cycle()}}, mono, wall, out);
  }
  for (auto _ : state) {
    state.PauseTiming();
    ++round;
    mono += std::chrono::seconds(1);
    wall += std::chrono::seconds(1);
    std::vector<InterfaceRead> reads;
    reads.push_back({"wg0", cycle()});
    CycleOutput out;
    state.ResumeTiming();
    monitor.run_cycle(std::move(reads), mono, wall, out);
    benchmark::DoNotOptimize(out);
    state.PauseTiming();
    reads.clear();  // freeing the previous snapshot happens inside run_cycle
    state.ResumeTiming();
  }
  state.counters["ns_per_peer"] = benchmark::Counter(
      static_cast<double>(state.iterations() * peers),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_MonitorCycleNoProbes(benchmark::State& state) { run(state, "[general]\nping_interval = 0\n"); }
void BM_MonitorCycleWithProbes(benchmark::State& state) { run(state, "[general]\nping_interval = 1\n"); }
BENCHMARK(BM_MonitorCycleNoProbes)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MonitorCycleWithProbes)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace
