#include "cli/show_format.h"

#include <algorithm>
#include <cstdio>

#include "cli/human.h"
#include "core/json.h"
#include "sinks/json/json_values.h"

namespace wgtrack {
namespace {

std::string handshake_text(const Peer& p, WallTime now) {
  if (!p.last_handshake) return "never";
  const auto diff = now - *p.last_handshake;
  // The kernel reports wall time; a clock stepped backwards is shown as such, never negative.
  if (diff.count() < 0) {
    return "in the future (clock went backwards by " +
           format_duration(std::chrono::duration_cast<std::chrono::seconds>(-diff)) + ")";
  }
  // Whole seconds on both sides, as wg(8) computes it, so both tools print the same age.
  const auto age = std::chrono::floor<std::chrono::seconds>(now.time_since_epoch()) -
                   std::chrono::floor<std::chrono::seconds>(p.last_handshake->time_since_epoch());
  if (age.count() == 0) return "just now";
  return format_duration(age) + " ago";
}

}  // namespace

std::string format_show_text(const std::vector<Device>& devices, WallTime now,
                             const ProbeTargetOf& probe_target) {
  std::string out;
  bool first = true;
  for (const Device& d : devices) {
    if (!first) out += '\n';
    first = false;
    out += "interface: " + d.name + " (" + to_string(d.backend) + ")\n";
    if (d.public_key) {
      out += "  public key: " + d.public_key->to_base64() + "\n";
      out += "  private key: (hidden)\n";
    }
    if (d.listen_port != 0) out += "  listening port: " + std::to_string(d.listen_port) + "\n";
    if (d.fwmark != 0) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "0x%x", d.fwmark);
      out += std::string("  fwmark: ") + buf + "\n";
    }
    out += "  peers: " + std::to_string(d.peers.size()) + "\n";

    std::vector<const Peer*> order;
    order.reserve(d.peers.size());
    for (const Peer& p : d.peers) order.push_back(&p);
    std::stable_sort(order.begin(), order.end(), [](const Peer* a, const Peer* b) {
      if (a->last_handshake.has_value() != b->last_handshake.has_value())
        return a->last_handshake.has_value();
      return a->last_handshake && *a->last_handshake > *b->last_handshake;
    });
    for (const Peer* p : order) {
      out += "\npeer: " + p->public_key.to_base64() + "\n";
      if (p->has_preshared_key) out += "  preshared key: (hidden)\n";
      out += "  endpoint: " + (p->endpoint ? p->endpoint->to_string() : std::string("(none)")) + "\n";
      out += "  allowed ips: ";
      if (p->allowed_ips.empty()) out += "(none)";
      for (std::size_t i = 0; i < p->allowed_ips.size(); ++i) {
        if (i) out += ", ";
        p->allowed_ips[i].append_to(out);
      }
      out += "\n  latest handshake: " + handshake_text(*p, now) + "\n";
      out += "  transfer: " + format_bytes(p->rx_bytes) + " received, " + format_bytes(p->tx_bytes) +
             " sent\n";
      if (p->persistent_keepalive != 0)
        out += "  persistent keepalive: every " +
               format_duration(std::chrono::seconds(p->persistent_keepalive)) + "\n";
      if (probe_target) {
        if (const auto c = probe_target(d.name, *p)) {
          out += "  probe target: " +
                 (c->target ? c->target->address_string() : std::string("none")) + " (" +
                 to_string(c->source) + ")\n";
        }
      }
    }
  }
  return out;
}

void append_show_json(std::string& out, const std::vector<Device>& devices,
                      const ProbeTargetOf& probe_target) {
  std::size_t peers = 0;
  for (const Device& d : devices) peers += d.peers.size();
  out.reserve(out.size() + 256 + peers * 220);
  out += "{\"interfaces\":[";
  std::string scratch;
  for (std::size_t di = 0; di < devices.size(); ++di) {
    const Device& d = devices[di];
    if (di) out += ',';
    append_json_interface_head(out, d.name, d.backend, d.public_key, d.listen_port, d.fwmark);
    out += ",\"peers\":[";
    for (std::size_t pi = 0; pi < d.peers.size(); ++pi) {
      const Peer& p = d.peers[pi];
      if (pi) out += ',';
      out += "{\"public_key\":\"";
      p.public_key.append_base64(out);
      out += "\",\"endpoint\":";
      append_json_endpoint(out, p.endpoint, scratch);
      out += ",\"allowed_ips\":";
      append_json_prefixes(out, p.allowed_ips);
      out += ",\"latest_handshake\":";
      if (p.last_handshake) {
        append_int(out, std::chrono::floor<std::chrono::seconds>(p.last_handshake->time_since_epoch())
                            .count());
      } else {
        out += "null";
      }
      out += ",\"rx_bytes\":";
      append_uint(out, p.rx_bytes);
      out += ",\"tx_bytes\":";
      append_uint(out, p.tx_bytes);
      out += ",\"persistent_keepalive\":";
      if (p.persistent_keepalive != 0) append_uint(out, p.persistent_keepalive);
      else out += "null";
      if (probe_target) {
        if (const auto c = probe_target(d.name, p)) {
          out += ",\"probe_target\":{\"address\":";
          if (c->target) {
            out += '"';
            out += c->target->address_string();
            out += '"';
          } else {
            out += "null";
          }
          out += ",\"source\":\"";
          out += to_code(c->source);
          out += "\"}";
        }
      }
      out += '}';
    }
    out += "]}";
  }
  out += "]}\n";
}

}  // namespace wgtrack
