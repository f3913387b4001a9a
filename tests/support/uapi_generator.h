// Generates a wireguard-go-shaped UAPI "get" reply with N peers (deterministic), for
// benchmarks and size tests. ~335 bytes per peer, like wireguard-go's own reply.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace wgtrack::testing {

inline std::string make_uapi_reply(std::size_t peers, std::size_t allowed_per_peer = 1) {
  std::string s;
  s.reserve(peers * 360 + 256);
  s += "private_key=18577a7fbaaa47a60416259eb5433b959320c9257be41929b94c92fbcc1baf76\n"
       "listen_port=51820\n";
  std::uint64_t x = 0x9e3779b97f4a7c15ull;
  char buf[512];
  for (std::size_t i = 0; i < peers; ++i) {
    s += "public_key=";
    for (int k = 0; k < 4; ++k) {
      x ^= x << 13; x ^= x >> 7; x ^= x << 17;
      std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(x));
      s += buf;
    }
    s += "\npreshared_key=0000000000000000000000000000000000000000000000000000000000000000\n"
         "protocol_version=1\n";
    std::snprintf(buf, sizeof buf,
                  "endpoint=198.51.%zu.%zu:%zu\nlast_handshake_time_sec=%zu\n"
                  "last_handshake_time_nsec=%zu\ntx_bytes=%zu\nrx_bytes=%zu\n"
                  "persistent_keepalive_interval=%d\n",
                  (i >> 8) & 255, i & 255, 1024 + i % 60000, 1763770000 + i, i * 7919 % 1000000000,
                  i * 1500, i * 1400, i % 3 == 0 ? 25 : 0);
    s += buf;
    for (std::size_t a = 0; a < allowed_per_peer; ++a) {
      std::snprintf(buf, sizeof buf, "allowed_ip=10.%zu.%zu.%zu/32\n", a, (i >> 8) & 255, i & 255);
      s += buf;
    }
  }
  s += "errno=0\n\n";
  return s;
}

}  // namespace wgtrack::testing
