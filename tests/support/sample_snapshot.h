// A deterministic Snapshot covering what state-sink formatters must render: every health
// state, handshake/never, v4/v6/scoped/no endpoint, names (one hostile: quote, backslash,
// newline, comma, equals sign, space), probe RTT/none, endpoint changes by reason, an
// interface without a public key, and non-zero self-metrics.
#pragma once

#include <chrono>
#include <string>

#include "snapshot/snapshot.h"
#include "support/utf8_samples.h"

namespace wgtrack::testing {

inline Snapshot sample_snapshot() {
  using namespace std::chrono_literals;
  using std::chrono::seconds;
  const WallTime now(seconds(1763771123));
  auto peer = [&](const char* key, PeerHealth health) {
    PeerSnapshot p;
    p.public_key = *PublicKey::from_base64(key);
    p.key = key;
    p.health = health;
    p.state_since = now - 42s;
    p.endpoint_changes = {{"roamed", 0}};
    return p;
  };
  Snapshot s;
  s.taken_at = now;

  InterfaceSnapshot wg0;
  wg0.name = "wg0";
  wg0.backend = BackendKind::kKernel;
  wg0.public_key = *PublicKey::from_base64("/3nahXLulVQZNqA64Rv0w7IH3j4HOMSWbSdafhQ+8W4=");
  wg0.listen_port = 51820;
  wg0.fwmark = 0x1234;

  PeerSnapshot never = peer("MHtodLMC7vYfiweAbRlHSfm9XHCWnT9s0/VfJj2WnEs=", PeerHealth::kNever);
  never.allowed_ips = {*IpPrefix::parse("10.0.0.4/32")};

  PeerSnapshot down = peer("hJpMO8QqkDRZpq3EE+WGZLFJqZkziL/z4pZprap4U1k=", PeerHealth::kDown);
  down.name = "branch office";
  down.endpoint = *Endpoint::parse("[fe80::2%eth1]:51821");
  down.allowed_ips = {*IpPrefix::parse("198.51.100.0/24"), *IpPrefix::parse("2001:db8:200::/64")};
  down.last_handshake = now - 3600s;
  down.handshake_age = 3600s;
  down.rx_bytes = 1023;
  down.tx_bytes = 1024;
  down.probes = {.sent = 12, .lost = 3, .last_rtt = 25ms, .consecutive_failures = 3};
  down.endpoint_changes = {{"failover", 1}, {"roamed", 2}};

  PeerSnapshot up = peer("rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=", PeerHealth::kUp);
  up.name = "office";
  up.endpoint = *Endpoint::parse("192.0.2.2:51820");
  up.allowed_ips = {*IpPrefix::parse("203.0.113.2/32"), *IpPrefix::parse("2001:db8:100::2/128")};
  up.last_handshake = now - 123s + 250ms;
  up.handshake_age = 122750ms;
  up.rx_bytes = 4242;
  up.tx_bytes = 123456789012;
  up.persistent_keepalive = 25;
  up.probes = {.sent = 40,
               .lost = 0,
               .last_rtt = 1500us,
               .consecutive_failures = 0,
               .target = Endpoint::parse_address("203.0.113.2", 0).value(),
               .target_source = ProbeTargetSource::kHostAllowedIp};
  wg0.peers = {never, down, up};  // sorted by key text

  InterfaceSnapshot wgu1;
  wgu1.name = "wgu1";
  wgu1.backend = BackendKind::kUserspace;
  PeerSnapshot idle = peer("9O1fEyGxJAzBN8mDgsE1CMzH2O1+D5D4EoyQDiMb0G0=", PeerHealth::kIdle);
  idle.name = "evil\"name\\with\nnewline, comma=eq";
  idle.endpoint = *Endpoint::parse("[2001:db8::2]:51820");
  idle.allowed_ips = {*IpPrefix::parse("10.9.0.0/16")};
  idle.last_handshake = now - 900s;
  idle.handshake_age = 900s;
  idle.rx_bytes = 10;
  idle.tx_bytes = 20;
  PeerSnapshot stale = peer("Aa+rYiBQt1vwj6WmU9XSnVFUQaTw2T94YpOY1Fzbu30=", PeerHealth::kStale);
  stale.endpoint = *Endpoint::parse("198.51.100.7:443");
  stale.last_handshake = now - 140s;
  stale.handshake_age = 140s;
  wgu1.peers = {idle, stale};  // '9' sorts before 'A'

  s.interfaces = {wg0, wgu1};
  s.self.cycles = 100;
  s.self.last_cycle_duration = 1234567ns;
  s.self.last_cycle_ok = true;
  s.self.backend_errors[static_cast<std::size_t>(ErrorCode::kPermissionDenied)] = 2;
  s.self.probe_errors = 1;
  s.self.resolver_errors = 4;
  s.self.events[static_cast<std::size_t>(EventType::kInitialStatus)] = 5;
  s.self.events[static_cast<std::size_t>(EventType::kStatusChange)] = 7;
  s.self.events[static_cast<std::size_t>(EventType::kEndpointChanged)] = 3;
  return s;
}

// sample_snapshot() with text that is not valid UTF-8 (support/utf8_samples.h): the second
// interface's name and the "office" peer's name.
inline Snapshot utf8_snapshot() {
  Snapshot s = sample_snapshot();
  s.interfaces[0].peers[2].name = kBadUtf8Name;
  s.interfaces[1].name = kBadUtf8Interface;
  return s;
}

}  // namespace wgtrack::testing
