// The JSON documents of the HTTP API (/api/v1/status, /api/v1/interfaces/{name},
// /api/v1/peers/{key}), rendered from a Snapshot by pure functions (docs/architecture.md rule 7);
// the HTTP server serves them with kJsonContentType. docs/api.md shows every document with
// an example; the field names below are a stable contract (add fields, never rename).
//
// Status document:
//   {"taken_at":T,"taken_at_unix":N,
//    "daemon":{"version":S,"uptime_seconds":N|null,"cycles":N,"last_cycle_duration_ms":X,
//              "last_cycle_ok":B,"probe_errors":N,"resolver_errors":N,
//              "backend_errors":{"not_found":N,...},"events":{"initial_status":N,...}},
//    "interfaces":[INTERFACE...]}
// INTERFACE:
//   {"name":S,"backend":"kernel"|"userspace","public_key":S|null,"listen_port":N,"fwmark":N,
//    "peer_count":N,"peer_counts":{"never":N,"up":N,"idle":N,"stale":N,"down":N},
//    "peers":[PEER...]}
// PEER:
//   {"public_key":S,"name":S|null,"state":"never"|"up"|"idle"|"stale"|"down","up":B,
//    "state_since":T,"state_since_unix":N,"reason":S|null,"endpoint":S|null,
//    "allowed_ips":[S...],"last_handshake":T|null,"last_handshake_unix":N|null,
//    "handshake_age_seconds":N|null,"rx_bytes":N,"tx_bytes":N,
//    "rx_bytes_per_second":X|null,"tx_bytes_per_second":X|null,"persistent_keepalive":N|null,
//    "probes":{"sent":N,"lost":N,"last_rtt_ms":X|null,"consecutive_failures":N},
//    "endpoint_changes":{"<reason>":N,...},
//    "recovery":null|{"phase":S,"candidates":[{"endpoint":S,"host":S,"probe":S,"current":B,
//                     "failures":N,"backoff_until":T|null}...],
//                     "hosts":[{"host":S,"addresses":N,"error":S|null,"permanent":B}...],
//                     "last_switch":null|{"from":S|null,"to":S,"reason":S,"at":T,
//                                         "at_unix":N,"outcome":S}}}
// T is an RFC 3339 UTC string with milliseconds; N an integer; X a decimal (at most 3 or 6
// fraction digits). "up" is counts_as_up(state) (snapshot.h). handshake_age_seconds is whole
// seconds on the monotonic clock (never negative). Order is the Snapshot's: interfaces by
// name, peers by key.
//
// Text from outside (interface names, peer names, endpoint zones, reasons) is JSON-escaped.
// The Snapshot holds no private or preshared key, so no document can contain one.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/public_key.h"
#include "snapshot/snapshot.h"

namespace wgtrack {

inline constexpr std::string_view kJsonContentType = "application/json";

struct JsonApiOptions {
  std::string version;  // the daemon's version ("0.1.0"), shown as daemon.version
  // Time since the daemon started, on the monotonic clock; nullopt renders null.
  std::optional<std::chrono::nanoseconds> uptime;
};

// /api/v1/status: the whole document above, with a trailing newline.
void render_status_json(const Snapshot& snapshot, const JsonApiOptions& options, std::string& out);
std::string render_status_json(const Snapshot& snapshot, const JsonApiOptions& options = {});

// /api/v1/interfaces/{name}: {"taken_at":T,"taken_at_unix":N,"interface":INTERFACE}.
// nullopt when the snapshot has no interface of that name (404).
std::optional<std::string> render_interface_json(const Snapshot& snapshot, std::string_view name);

// /api/v1/peers/{key}: {"taken_at":T,"taken_at_unix":N,"interface":S,"peer":PEER}.
// `key` as parse_peer_key accepts it. A key on several interfaces: the first by interface
// name, unless `interface` names one. nullopt when the key is malformed or not found (404).
std::optional<std::string> render_peer_json(const Snapshot& snapshot, std::string_view key,
                                            std::string_view interface = {});

// A peer key from a URL path segment (already percent-decoded by the server): standard
// base64 (44 chars, as wg(8) prints it), its URL-safe variant ('-' and '_' for '+' and '/',
// RFC 4648 section 5, so a key fits in a path segment unescaped) or hex (64 chars, as the
// UAPI speaks it). Strict as PublicKey's parsers: nullopt for anything else.
std::optional<PublicKey> parse_peer_key(std::string_view text);

}  // namespace wgtrack
