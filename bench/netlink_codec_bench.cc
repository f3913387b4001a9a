// Kernel WG_CMD_GET_DEVICE dump decoding cost per peer (target: <= 0.5 us/peer). The dump is
// written the way drivers/net/wireguard/netlink.c splits it, 1-3 allowed IPs per peer, in
// messages of the sizes the kernel uses (4 KiB NLMSG_GOODSIZE-ish up to the 32 KiB cap).
#include <benchmark/benchmark.h>

#include "support/netlink_dump_writer.h"
#include "wireguard/netlink_codec.h"

namespace {

using wgtrack::testing::Datagram;

wgtrack::Device make_device(std::size_t peers) {
  wgtrack::Device d;
  d.name = "wg0";
  d.ifindex = 7;
  d.listen_port = 51820;
  d.public_key = wgtrack::PublicKey(wgtrack::PublicKey::Bytes{1, 2, 3});
  d.peers.resize(peers);
  for (std::size_t i = 0; i < peers; ++i) {
    auto& p = d.peers[i];
    wgtrack::PublicKey::Bytes k{};
    for (std::size_t b = 0; b < 8; ++b) k[b] = static_cast<std::uint8_t>(i >> (8 * b));
    k[31] = 0x5a;
    p.public_key = wgtrack::PublicKey(k);
    const auto a = static_cast<std::uint8_t>(i >> 8), b = static_cast<std::uint8_t>(i);
    if (i % 4 == 3) {
      p.endpoint = wgtrack::Endpoint::ipv6(
          {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, a, b}, 51820);
    } else {
      p.endpoint = wgtrack::Endpoint::ipv4({198, 18, a, b}, 51820);
    }
    const std::uint8_t v4[4] = {10, 0, a, b};
    p.allowed_ips.push_back(*wgtrack::IpPrefix::make(wgtrack::IpFamily::kIPv4, v4, 32));
    if (i % 3 >= 1) {
      const std::uint8_t v6[16] = {0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, a, b};
      p.allowed_ips.push_back(*wgtrack::IpPrefix::make(wgtrack::IpFamily::kIPv6, v6, 128));
    }
    if (i % 3 == 2) {
      const std::uint8_t net[4] = {172, 16, a, 0};
      p.allowed_ips.push_back(*wgtrack::IpPrefix::make(wgtrack::IpFamily::kIPv4, net, 24));
    }
    if (i % 2 == 0) {
      p.last_handshake = wgtrack::WallTime(std::chrono::seconds(1700000000 + i));
      p.has_preshared_key = true;
    }
    p.rx_bytes = i * 1000;
    p.tx_bytes = i * 2000;
    p.persistent_keepalive = 25;
  }
  return d;
}

void BM_NetlinkDumpDecode(benchmark::State& state) {
  const std::size_t peers = static_cast<std::size_t>(state.range(0));
  wgtrack::testing::KernelDumpOptions o;
  o.max_message = static_cast<std::size_t>(state.range(1));
  const std::vector<Datagram> dump = wgtrack::testing::write_kernel_dump(make_device(peers), o);
  std::size_t bytes = 0;
  for (const auto& d : dump) bytes += d.size();
  for (auto _ : state) {
    wgtrack::WgDeviceDumpAssembler assembler(o.family, o.seq, "wg0");
    for (const auto& d : dump) {
      auto st = assembler.feed(d);
      if (!st.ok()) state.SkipWithError(st.error().message.c_str());
    }
    auto dev = assembler.take_device();
    if (dev.peers.size() != peers) state.SkipWithError("wrong peer count");
    benchmark::DoNotOptimize(dev);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * peers));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["datagrams"] = static_cast<double>(dump.size());
  state.counters["ns_per_peer"] =
      benchmark::Counter(static_cast<double>(state.iterations() * peers),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_NetlinkDumpDecode)
    ->Args({10000, 4096})
    ->Args({10000, 16384})
    ->Args({10000, 32768})
    ->Unit(benchmark::kMillisecond);

}  // namespace
