// The model of one WireGuard interface as read from a backend. It holds no secret: codecs
// drop private and preshared keys while parsing (only "has a preshared key" survives), so
// nothing downstream can log, serve or export one (docs/architecture.md rule 9).
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/endpoint.h"
#include "core/public_key.h"

namespace wgtrack {

enum class BackendKind : std::uint8_t { kKernel, kUserspace };
const char* to_string(BackendKind kind);  // "kernel" / "userspace"

using WallTime = std::chrono::time_point<std::chrono::system_clock, std::chrono::nanoseconds>;

// The largest handshake time (seconds since the epoch) a WallTime can hold (year 2262).
// Backends report seconds as int64; anything above is malformed, not a time to overflow on.
inline constexpr std::int64_t kMaxWallSeconds =
    std::numeric_limits<std::int64_t>::max() / 1'000'000'000 - 1;

struct Peer {
  PublicKey public_key;
  std::optional<Endpoint> endpoint;
  std::vector<IpPrefix> allowed_ips;
  std::optional<WallTime> last_handshake;  // nullopt: never (sec == 0 && nsec == 0)
  std::uint64_t rx_bytes = 0;
  std::uint64_t tx_bytes = 0;
  std::uint16_t persistent_keepalive = 0;  // seconds, 0 = off
  bool has_preshared_key = false;
};

struct Device {
  std::string name;
  BackendKind backend = BackendKind::kKernel;
  std::optional<PublicKey> public_key;  // nullopt when the interface has no private key
  std::uint16_t listen_port = 0;
  std::uint32_t fwmark = 0;
  std::uint32_t ifindex = 0;  // kernel only, 0 otherwise
  std::vector<Peer> peers;
};

// The one write wgtrack exists to make: move a peer to a new endpoint. Backends send the
// public key, the endpoint and UPDATE_ONLY, and nothing else: a peer removed in the meantime
// is never re-created, allowed IPs, keys and other peers are never touched.
struct PeerEndpointUpdate {
  PublicKey public_key;
  Endpoint endpoint;
};

}  // namespace wgtrack
