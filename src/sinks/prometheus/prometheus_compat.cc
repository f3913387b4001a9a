// Compatibility profiles: the metric families of two existing exporters, so that dashboards
// and alerts built on them work unchanged. Names, types, label names and HELP texts are copied
// from their sources (read for this):
//  - MindFlavor/prometheus_wireguard_exporter src/metrics.rs and src/wireguard.rs (labels
//    interface, public_key, allowed_ips, then friendly_name; families in that order); the
//    HELP text of the optional _delay_seconds gauge (its -d switch, 3.6.4) was not found in
//    the sources read and is ours.
//  - mdlayher/wireguard_exporter collector.go (HELP texts, label sets); client_golang sorts
//    families by name and label pairs by label name, and so do we.
// Values are integers where the originals have whole numbers (wg(8) dump seconds; Unix()).
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "sinks/prometheus/prometheus_profiles.h"
#include "sinks/prometheus/prometheus_text.h"

namespace wgtrack::prom {
namespace {

// Whole seconds since the epoch, as wg(8)'s dump and Go's Time.Unix() give them. A handshake
// before 1970 cannot come from a backend; clamp rather than wrap.
std::uint64_t unix_seconds(WallTime t) {
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  return s < 0 ? 0 : static_cast<std::uint64_t>(s);
}

void value_line(std::string& out, std::uint64_t v) {
  out += "} ";
  append_uint(out, v);
  out += '\n';
}

}  // namespace

void render_mindflavor(const Snapshot& s, const PrometheusOptions& o, std::string& out) {
  // Labels of every series, per peer: interface, public_key, allowed_ips (as wg(8)'s dump
  // writes them: comma-joined, "(none)" when empty), friendly_name when known.
  std::vector<std::string> labels;
  for (const auto& i : s.interfaces) {
    for (const auto& p : i.peers) {
      std::string& l = labels.emplace_back();
      append_label(l, "interface", i.name, true);
      append_label(l, "public_key", p.key);
      l += ",allowed_ips=\"";
      if (p.allowed_ips.empty()) l += "(none)";
      for (std::size_t a = 0; a < p.allowed_ips.size(); ++a) {
        if (a != 0) l += ',';
        p.allowed_ips[a].append_to(l);
      }
      l += '"';
      if (!p.name.empty()) append_label(l, "friendly_name", p.name);
    }
  }
  auto family = [&](std::string_view name, std::string_view type, std::string_view help,
                    auto&& value) {
    append_family(out, name, type, help);
    std::size_t k = 0;
    for (const auto& i : s.interfaces) {
      for (const auto& p : i.peers) {
        const std::string& l = labels[k++];
        const std::optional<std::uint64_t> v = value(p);
        if (!v) continue;
        out += name;
        out += '{';
        out += l;
        value_line(out, *v);
      }
    }
  };
  using Value = std::optional<std::uint64_t>;
  family("wireguard_sent_bytes_total", "counter", "Bytes sent to the peer",
         [](const PeerSnapshot& p) -> Value { return p.tx_bytes; });
  family("wireguard_received_bytes_total", "counter", "Bytes received from the peer",
         [](const PeerSnapshot& p) -> Value { return p.rx_bytes; });
  family("wireguard_latest_handshake_seconds", "gauge", "Seconds from the last handshake",
         [](const PeerSnapshot& p) -> Value {
           if (!p.last_handshake) return std::nullopt;  // the original exports 0
           return unix_seconds(*p.last_handshake);
         });
  if (o.handshake_delay) {
    family("wireguard_latest_handshake_delay_seconds", "gauge",
           "Seconds passed since the last handshake", [](const PeerSnapshot& p) -> Value {
             if (!p.handshake_age) return std::nullopt;  // the original exports now - 0
             return static_cast<std::uint64_t>(
                 std::chrono::duration_cast<std::chrono::seconds>(*p.handshake_age).count());
           });
  }
}

void render_mdlayher(const Snapshot& s, std::string& out) {
  // Families sorted by name (client_golang's Gather order), label names sorted within series.
  append_family(out, "wireguard_device_info", "gauge", "Metadata about a device.");
  for (const auto& i : s.interfaces) {
    out += "wireguard_device_info";
    append_label(out, "{device", i.name, true);
    // wgtypes.Key's String() of a device without a private key: the all-zero key.
    append_label(out, "public_key",
                 i.public_key ? i.public_key->to_base64() : PublicKey().to_base64());
    out += "} 1\n";
  }
  append_family(out, "wireguard_peer_allowed_ips_info", "gauge",
                "Metadata about each of a peer's allowed IP subnets for a given device.");
  std::string ip;
  for (const auto& i : s.interfaces) {
    for (const auto& p : i.peers) {
      for (const IpPrefix& a : p.allowed_ips) {
        ip.clear();
        a.append_to(ip);
        out += "wireguard_peer_allowed_ips_info";
        append_label(out, "{allowed_ips", ip, true);
        append_label(out, "device", i.name);
        append_label(out, "family", a.family() == IpFamily::kIPv4 ? "IPv4" : "IPv6");
        append_label(out, "public_key", p.key);
        out += "} 1\n";
      }
    }
  }
  append_family(out, "wireguard_peer_info", "gauge",
                "Metadata about a peer. The public_key label on peer metrics refers to the "
                "peer's public key; not the device's public key.");
  std::string endpoint;
  for (const auto& i : s.interfaces) {
    for (const auto& p : i.peers) {
      endpoint.clear();
      if (p.endpoint) p.endpoint->append_to(endpoint);  // "" when none, as the original
      out += "wireguard_peer_info";
      append_label(out, "{device", i.name, true);
      append_label(out, "endpoint", endpoint);
      append_label(out, "name", p.name);
      append_label(out, "public_key", p.key);
      out += "} 1\n";
    }
  }
  auto family = [&](std::string_view name, std::string_view type, std::string_view help,
                    auto&& value) {
    append_family(out, name, type, help);
    for (const auto& i : s.interfaces) {
      for (const auto& p : i.peers) {
        const std::optional<std::uint64_t> v = value(p);
        if (!v) continue;
        out += name;
        append_label(out, "{device", i.name, true);
        append_label(out, "public_key", p.key);
        value_line(out, *v);
      }
    }
  };
  using Value = std::optional<std::uint64_t>;
  family("wireguard_peer_last_handshake_seconds", "gauge",
         "UNIX timestamp for the last handshake with a given peer.",
         [](const PeerSnapshot& p) -> Value {
           if (!p.last_handshake) return std::nullopt;  // the original exports 0
           return unix_seconds(*p.last_handshake);
         });
  family("wireguard_peer_receive_bytes_total", "counter",
         "Number of bytes received from a given peer.",
         [](const PeerSnapshot& p) -> Value { return p.rx_bytes; });
  family("wireguard_peer_transmit_bytes_total", "counter",
         "Number of bytes transmitted to a given peer.",
         [](const PeerSnapshot& p) -> Value { return p.tx_bytes; });
}

}  // namespace wgtrack::prom
