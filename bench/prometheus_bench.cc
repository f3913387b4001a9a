// /metrics rendering (issue #5: 10,000 peers in <= 20 ms, 100,000 in <= 200 ms) from a
// synthetic Snapshot: every peer named, with an endpoint, two allowed IPs, a handshake, probe
// stats and one endpoint-change reason — the native profile's worst realistic case. The
// compatibility profiles and the Influx formats are measured alongside for comparison.
#include <benchmark/benchmark.h>

#include <string>

#include "sinks/influx/influx_format.h"
#include "sinks/prometheus/prometheus_format.h"

namespace {

using namespace wgtrack;
using namespace std::chrono_literals;

Snapshot synthetic(std::size_t peers) {
  Snapshot s;
  s.taken_at = WallTime(1763771123s);
  InterfaceSnapshot& i = s.interfaces.emplace_back();
  i.name = "wg0";
  i.public_key = PublicKey();
  i.listen_port = 51820;
  i.peers.reserve(peers);
  for (std::size_t n = 0; n < peers; ++n) {
    PeerSnapshot& p = i.peers.emplace_back();
    PublicKey::Bytes b{};
    for (std::size_t k = 0; k < 8; ++k) b[k] = static_cast<std::uint8_t>(n >> (8 * k));
    b[31] = 0x40;
    p.public_key = PublicKey(b);
    p.key = p.public_key.to_base64();
    p.name = "peer-" + std::to_string(n);
    p.endpoint =
        Endpoint::ipv4({198, 51, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)},
                       static_cast<std::uint16_t>(40000 + n % 20000));
    p.allowed_ips = {*IpPrefix::parse("10.1.2.3/32"), *IpPrefix::parse("2001:db8::3/128")};
    p.last_handshake = s.taken_at - 30s - std::chrono::milliseconds(n % 1000);
    p.handshake_age = 30s + std::chrono::milliseconds(n % 1000);
    p.rx_bytes = 1'000'000 + n * 77;
    p.tx_bytes = 2'000'000'000 + n * 91;
    p.health = n % 10 == 0 ? PeerHealth::kDown : PeerHealth::kUp;
    p.state_since = s.taken_at - 3600s;
    p.probes = {.sent = 500 + n,
                .lost = n % 7,
                .last_rtt = 1500us + std::chrono::microseconds(n % 900),
                .consecutive_failures = 0};
    p.endpoint_changes = {{"roamed", n % 3}};
  }
  return s;
}

template <typename Render>
void run(benchmark::State& state, Render&& render) {
  const std::size_t peers = static_cast<std::size_t>(state.range(0));
  const Snapshot s = synthetic(peers);
  std::string out;
  for (auto _ : state) {
    out.clear();  // the transport keeps its buffer: capacity is reused scrape after scrape
    render(s, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["ns_per_peer"] =
      benchmark::Counter(static_cast<double>(state.iterations() * peers),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["bytes"] = static_cast<double>(out.size());
}

void BM_PrometheusNative(benchmark::State& state) {
  run(state, [](const Snapshot& s, std::string& out) { render_prometheus(s, {}, out); });
}
void BM_PrometheusMindFlavor(benchmark::State& state) {
  PrometheusOptions o;
  o.profile = PrometheusProfile::kMindFlavor;
  o.handshake_delay = true;
  run(state, [&](const Snapshot& s, std::string& out) { render_prometheus(s, o, out); });
}
void BM_PrometheusMdlayher(benchmark::State& state) {
  PrometheusOptions o;
  o.profile = PrometheusProfile::kMdlayher;
  run(state, [&](const Snapshot& s, std::string& out) { render_prometheus(s, o, out); });
}
void BM_InfluxSeed(benchmark::State& state) {
  run(state,
      [](const Snapshot& s, std::string& out) { render_influx(s, InfluxSchema::kWgtrack, out); });
}
void BM_InfluxTelegraf(benchmark::State& state) {
  run(state,
      [](const Snapshot& s, std::string& out) { render_influx(s, InfluxSchema::kTelegraf, out); });
}
BENCHMARK(BM_PrometheusNative)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PrometheusMindFlavor)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PrometheusMdlayher)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_InfluxSeed)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_InfluxTelegraf)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace
