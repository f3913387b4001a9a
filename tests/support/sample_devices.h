// A deterministic pair of devices covering what formatters must render: v4/v6/scoped/no
// endpoint, handshake/never, keepalive, preshared key flag, many allowed IPs, no public key.
#pragma once

#include <vector>

#include "wireguard/device.h"

namespace wgtrack::testing {

inline WallTime sample_now() { return WallTime(std::chrono::seconds(1763771123)); }

inline std::vector<Device> sample_devices() {
  Device a;
  a.name = "wg0";
  a.backend = BackendKind::kKernel;
  a.public_key = *PublicKey::from_base64("/3nahXLulVQZNqA64Rv0w7IH3j4HOMSWbSdafhQ+8W4=");
  a.listen_port = 51820;
  a.fwmark = 0x1234;
  Peer p1;
  p1.public_key = *PublicKey::from_base64("rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=");
  p1.endpoint = *Endpoint::parse("192.0.2.2:51820");
  p1.allowed_ips = {*IpPrefix::parse("203.0.113.2/32"), *IpPrefix::parse("2001:db8:100::2/128")};
  p1.last_handshake = WallTime(std::chrono::seconds(1763771000) + std::chrono::milliseconds(250));
  p1.rx_bytes = 4242;
  p1.tx_bytes = 123456789012;
  p1.persistent_keepalive = 25;
  p1.has_preshared_key = true;
  Peer p2;
  p2.public_key = *PublicKey::from_base64("hJpMO8QqkDRZpq3EE+WGZLFJqZkziL/z4pZprap4U1k=");
  p2.endpoint = *Endpoint::parse("[fe80::2%eth1]:51821");
  p2.allowed_ips = {*IpPrefix::parse("198.51.100.0/24"), *IpPrefix::parse("2001:db8:200::/64")};
  Peer p3;
  p3.public_key = *PublicKey::from_base64("MHtodLMC7vYfiweAbRlHSfm9XHCWnT9s0/VfJj2WnEs=");
  p3.endpoint = *Endpoint::parse("[2001:db8::2]:51820");
  p3.last_handshake = WallTime(std::chrono::seconds(1763771123 - 90061));
  p3.rx_bytes = 1023;
  p3.tx_bytes = 1024;
  a.peers = {p2, p1, p3};  // backend order is not handshake order
  Device b;
  b.name = "wgu1";
  b.backend = BackendKind::kUserspace;
  return {a, b};
}

}  // namespace wgtrack::testing
