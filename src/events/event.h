// Event: something that happened to a peer, as every event sink sees it (journal, log file,
// exec hook, webhooks, history). One shape everywhere: see event_json.h for the wire form.
// Text fields may come from peers or config files: sinks must escape them (the formatters do).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/endpoint.h"
#include "core/public_key.h"
#include "wireguard/device.h"

namespace wgtrack {

enum class EventType : std::uint8_t {
  kInitialStatus,    // once per peer at start: its first verdict
  kStatusChange,     // the health verdict changed (old_status -> status, with a reason)
  kPeerAdded,        // a peer appeared on an interface (after start)
  kPeerRemoved,      // a peer disappeared (status "removed")
  kEndpointChanged,  // the endpoint moved: the peer roamed, or wgtrack moved it (reason says)
  kHandshake,        // a handshake completed (optional, noisy: every ~2 minutes per peer)
  kResolveFailed,    // endpoint recovery: DNS failed for a candidate host
  kCandidateUnreachable,  // endpoint recovery: a candidate did not answer
};

// "initial_status", "status_change", ... (the `event` field); parse is the inverse.
std::string_view to_string(EventType type);
std::optional<EventType> parse_event_type(std::string_view text);

struct Event {
  EventType type = EventType::kStatusChange;
  WallTime timestamp{};
  std::string interface;
  PublicKey peer;
  std::string name;        // friendly name, "" when none is configured
  std::string old_status;  // "" when not applicable (initial_status, peer_added)
  std::string status;      // "up", "idle", "stale", "down", "never", "removed"
  std::optional<Endpoint> endpoint;      // the current endpoint, if any
  std::optional<Endpoint> old_endpoint;  // endpoint_changed only
  std::string reason;      // human-readable why ("2 probes failed", "roamed", ...)
  // Context for the exec hook's chouyu/wg_monitor variables (PEER_ALLOWED_IPS, PEER_HANDSHAKE);
  // not part of the JSON shape. Empty / nullopt when the producer does not know (or never had a
  // handshake).
  std::vector<IpPrefix> allowed_ips;
  std::optional<WallTime> last_handshake;
};

}  // namespace wgtrack
