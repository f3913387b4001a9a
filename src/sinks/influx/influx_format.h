// InfluxDB line protocol of a Snapshot: pure formatters (docs/architecture.md rule 7). The
// transports (influx_file: atomic file per cycle for Telegraf inputs.file; influx_http) live
// elsewhere.
//
// Schemas:
//  - wgtrack (default): towalink/wgtrack's output.py format, one line per peer, with its
//    float bug fixed (its byte counters were floats; here they carry the `i` suffix):
//      wgtrack,interface=wg0,peer=<key> transfer_rx=123i,transfer_tx=456i,status="up:ok",is_up=1i
//      <ns>
//    status maps our health states onto towalink/wgtrack's "up:..."/"down..." vocabulary
//    (see wgtrack_schema_status) and is_up is 1 exactly when status starts with "up" —
//    towalink/wgtrack's relation, and the same peers as wgtrack_peer_up in Prometheus.
//  - telegraf (opt-in): the measurements of Telegraf's inputs.wireguard, so dashboards built on
//    it work with wgtrack as the source. Names from influxdata/telegraf
//    plugins/inputs/wireguard/wireguard.go and its README (read for this):
//      wireguard_device,name=<if>,type=linux_kernel|userspace
//      firewall_mark=..i,listen_port=..i,peers=..i wireguard_peer,device=<if>,public_key=<key>
//      allowed_ips=<count>i,
//        last_handshake_time_ns=..i,persistent_keepalive_interval_ns=..i,protocol_version=1i,
//        rx_bytes=..i,tx_bytes=..i
//    Differences, on purpose: Telegraf writes each device and peer as two lines (its
//    AddFields and AddGauge calls) with the same tags and timestamp; InfluxDB merges them into
//    one point, so one line is written here. A never-connected peer has no
//    last_handshake_time_ns field (Telegraf writes Go's zero time, -6795364578871345152).
//    protocol_version is 1, the only WireGuard protocol version there is.
//
// Tags and fields are sorted by key (as Telegraf's serializer writes them); lines follow the
// snapshot's order; every line has the snapshot's timestamp in nanoseconds. Empty tag values
// are not allowed by the protocol: an interface with an empty name cannot exist.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "snapshot/snapshot.h"

namespace wgtrack {

enum class InfluxSchema : std::uint8_t { kWgtrack, kTelegraf };
std::string_view to_string(InfluxSchema schema);  // "wgtrack", "telegraf"
std::optional<InfluxSchema> parse_influx_schema(std::string_view text);

// towalink/wgtrack's status vocabulary for a health state:
//   up -> "up:ok", idle -> "up:idle", stale -> "up:stale", down -> "down",
//   never -> "down:never" (its states, logic.py, were up:ok, down, down:waiting, down:checking,
//   down:backingoff, down:slowchecking, disabled, undefined; a "down" prefix kept for every
//   peer that is not up keeps `status =~ /^down/` queries working).
std::string_view wgtrack_schema_status(PeerHealth health);

// Appends the lines (each ending in '\n') of `snapshot` to `out`.
void render_influx(const Snapshot& snapshot, InfluxSchema schema, std::string& out);
std::string render_influx(const Snapshot& snapshot, InfluxSchema schema = InfluxSchema::kWgtrack);

}  // namespace wgtrack
