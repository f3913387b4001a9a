// The synthetic Snapshot the state-sink benchmarks render: one interface, every peer named,
// with an endpoint, two allowed IPs, a handshake, probe stats and one endpoint-change reason
// (prometheus_bench.cc and json_bench.cc). `api_fields` adds what only the JSON API shows: a state reason and rx/tx rates.
#pragma once

#include <algorithm>
#include <chrono>
#include <string>

#include "snapshot/snapshot.h"

namespace wgtrack::bench {

inline Snapshot synthetic_snapshot(std::size_t peers, bool api_fields = false) {
  using namespace std::chrono_literals;
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
    if (api_fields) {
      p.reason = n % 10 == 0 ? "2 probes failed" : "handshake completed";
      p.rx_rate = 1234.5 + static_cast<double>(n % 100);
      p.tx_rate = 98765.4321 + static_cast<double>(n % 1000);
    }
  }
  // Sorted by key text, as the Snapshot's contract says (the lookups depend on it).
  std::sort(i.peers.begin(), i.peers.end(),
            [](const PeerSnapshot& a, const PeerSnapshot& b) { return a.key < b.key; });
  return s;
}

}  // namespace wgtrack::bench
