// UAPI "get" reply decoding cost per peer (target: <= 0.5 us/peer).
#include <benchmark/benchmark.h>

#include "support/uapi_generator.h"
#include "wireguard/uapi_codec.h"

namespace {

void BM_UapiDecode(benchmark::State& state) {
  const std::size_t peers = static_cast<std::size_t>(state.range(0));
  const std::string reply = wgtrack::testing::make_uapi_reply(peers, 2);
  for (auto _ : state) {
    auto d = wgtrack::decode_uapi_get(reply, "wg0");
    if (!d.ok() || d->peers.size() != peers) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * peers));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * reply.size()));
  state.counters["ns_per_peer"] = benchmark::Counter(
      static_cast<double>(state.iterations() * peers),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_UapiDecode)->Arg(1000)->Arg(10000)->Arg(50000)->Unit(benchmark::kMillisecond);

}  // namespace

// `wgtrack show --json` rendering cost per peer (the part of `show` after the read).
#include "cli/show_format.h"

namespace {

void BM_ShowJson(benchmark::State& state) {
  const std::size_t peers = static_cast<std::size_t>(state.range(0));
  auto d = wgtrack::decode_uapi_get(wgtrack::testing::make_uapi_reply(peers, 2), "wg0");
  const std::vector<wgtrack::Device> devices{*d};
  for (auto _ : state) {
    std::string out;
    wgtrack::append_show_json(out, devices);
    benchmark::DoNotOptimize(out);
  }
  state.counters["ns_per_peer"] = benchmark::Counter(
      static_cast<double>(state.iterations() * peers),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_ShowJson)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace
