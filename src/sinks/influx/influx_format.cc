#include "sinks/influx/influx_format.h"

#include <chrono>

#include "sinks/influx/influx_line.h"

namespace wgtrack {
namespace {

using namespace influx;

void append_timestamp(std::string& out, WallTime t) {
  out += ' ';
  append_int_field(out, t.time_since_epoch().count());
  out.back() = '\n';  // the timestamp has no `i`: replace it with the line end
}

void render_wgtrack_schema(const Snapshot& s, std::string& out) {
  for (const auto& i : s.interfaces) {
    for (const auto& p : i.peers) {
      out += "wgtrack";
      append_tag(out, "interface", i.name);
      append_tag(out, "peer", p.key);
      out += " transfer_rx=";
      append_uint_field(out, p.rx_bytes);
      out += ",transfer_tx=";
      append_uint_field(out, p.tx_bytes);
      out += ",status=";
      append_string_field(out, wgtrack_schema_status(p.health));
      out += counts_as_up(p.health) ? ",is_up=1i" : ",is_up=0i";
      append_timestamp(out, s.taken_at);
    }
  }
}

void render_telegraf(const Snapshot& s, std::string& out) {
  for (const auto& i : s.interfaces) {
    out += "wireguard_device";
    append_tag(out, "name", i.name);
    // Telegraf's deviceTypeNames: wgtypes.LinuxKernel -> "linux_kernel", Userspace ->
    // "userspace".
    append_tag(out, "type", i.backend == BackendKind::kKernel ? "linux_kernel" : "userspace");
    out += " firewall_mark=";
    append_uint_field(out, i.fwmark);
    out += ",listen_port=";
    append_uint_field(out, i.listen_port);
    out += ",peers=";
    append_uint_field(out, i.peers.size());
    append_timestamp(out, s.taken_at);
  }
  for (const auto& i : s.interfaces) {
    for (const auto& p : i.peers) {
      out += "wireguard_peer";
      append_tag(out, "device", i.name);
      append_tag(out, "public_key", p.key);
      out += " allowed_ips=";
      append_uint_field(out, p.allowed_ips.size());
      if (p.last_handshake) {
        out += ",last_handshake_time_ns=";
        append_int_field(out, p.last_handshake->time_since_epoch().count());
      }
      out += ",persistent_keepalive_interval_ns=";
      append_int_field(out, std::int64_t{p.persistent_keepalive} * 1'000'000'000);
      out += ",protocol_version=1i,rx_bytes=";
      append_uint_field(out, p.rx_bytes);
      out += ",tx_bytes=";
      append_uint_field(out, p.tx_bytes);
      append_timestamp(out, s.taken_at);
    }
  }
}

}  // namespace

std::string_view to_string(InfluxSchema schema) {
  return schema == InfluxSchema::kTelegraf ? "telegraf" : "wgtrack";
}

std::optional<InfluxSchema> parse_influx_schema(std::string_view text) {
  if (text == "wgtrack") return InfluxSchema::kWgtrack;
  if (text == "telegraf") return InfluxSchema::kTelegraf;
  return std::nullopt;
}

std::string_view wgtrack_schema_status(PeerHealth health) {
  switch (health) {
    case PeerHealth::kUp:
      return "up:ok";
    case PeerHealth::kIdle:
      return "up:idle";
    case PeerHealth::kStale:
      return "up:stale";
    case PeerHealth::kDown:
      return "down";
    case PeerHealth::kNever:
      return "down:never";
    case PeerHealth::kRemoved:
      return "removed";  // never in a snapshot
  }
  return "down";
}

void render_influx(const Snapshot& snapshot, InfluxSchema schema, std::string& out) {
  if (schema == InfluxSchema::kTelegraf) {
    render_telegraf(snapshot, out);
  } else {
    render_wgtrack_schema(snapshot, out);
  }
}

std::string render_influx(const Snapshot& snapshot, InfluxSchema schema) {
  std::string out;
  render_influx(snapshot, schema, out);
  return out;
}

}  // namespace wgtrack
