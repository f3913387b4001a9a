// The native wgtrack_ metric set. Design choices, with their sources:
//  - Peer series carry interface, public_key and, when configured, name. A peer's identity is
//    (interface, key): the same key can be a peer of two interfaces (mdlayher collector.go).
//  - Endpoint and allowed IPs live only on wgtrack_peer_info (value 1), so a roaming peer does
//    not start new series for every counter; join with `* on(interface, public_key)
//    group_left(endpoint) wgtrack_peer_info` (mdlayher PR #20, rejected for that reason;
//    MindFlavor PR #11/#12 made remote_ip optional for the same churn).
//  - State is an enum-style gauge: wgtrack_peer_state{state="..."} with one series per possible
//    state, 1 for the current one and 0 for the others (OpenMetrics "StateSet"; client_python's
//    Enum). The set of series per peer never changes, so a transition creates no new series
//    and leaves no stale one, `wgtrack_peer_state{state="down"} == 1` is the alert, and
//    `sum by (state)` counts peers. A single series with a changing `state` label would
//    break every range query across a transition.
//  - wgtrack_peer_up is 1 for up, idle and stale (nothing says the tunnel is broken: idle is
//    a quiet peer, stale the grace state) and 0 for down and never connected.
//  - Handshake: a timestamp (Prometheus advice: export the time of events, not time since —
//    prometheus/docs PR #1357) *and* the age measured on the daemon's monotonic clock (correct
//    even if the wall clock stepped). A peer that never had a handshake has neither series:
//    absent, not 0 (1970) and not NaN (NaN poisons max()/avg() over all peers).
//  - Counters end in _total; the endpoint-change reason every peer can have (roamed) starts at 0.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <vector>

#include "sinks/prometheus/prometheus_profiles.h"
#include "sinks/prometheus/prometheus_text.h"

namespace wgtrack::prom {
namespace {

using std::chrono::nanoseconds;

// The base64 alphabet needs no escaping: the key is copied, not scanned.
void append_key(std::string& out, std::string_view key) {
  out += ",public_key=\"";
  out += key;
  out += '"';
}

// The label prefix (without braces) of every peer, built once per render and reused by each
// family: the escaping and the key's base64 cost are paid once, not ~15 times per peer.
class PeerLabels {
 public:
  explicit PeerLabels(const Snapshot& s) {
    std::size_t n = 0;
    for (const auto& i : s.interfaces) n += i.peers.size();
    ends_.reserve(n);
    buf_.reserve(n * 90);
    for (const auto& i : s.interfaces) {
      for (const auto& p : i.peers) {
        append_label(buf_, "interface", i.name, true);
        append_key(buf_, p.key);
        if (!p.name.empty()) append_label(buf_, "name", p.name);
        ends_.push_back(static_cast<std::uint32_t>(buf_.size()));
      }
    }
  }
  std::string_view operator[](std::size_t k) const {
    const std::size_t begin = k == 0 ? 0 : ends_[k - 1];
    return std::string_view(buf_).substr(begin, ends_[k] - begin);
  }

 private:
  std::string buf_;
  std::vector<std::uint32_t> ends_;
};

// One series line, `name{labels extra} value\n`, assembled on the stack and appended at once:
// one capacity check per line instead of six (at 100,000 peers the appends were the cost).
// A line too long for the buffer (a very long friendly name) takes the plain appends.
class Series {
 public:
  Series(std::string& out, std::string_view name, std::string_view labels,
         std::string_view extra = {})
      : out_(out) {
    if (name.size() + labels.size() + extra.size() + 2 + kMaxSecondsChars + 1 > sizeof buf_) {
      fallback_ = true;
      out_ += name;
      out_ += '{';
      out_ += labels;
      out_ += extra;
      out_ += "} ";
      return;
    }
    put(name);
    *p_++ = '{';
    put(labels);
    put(extra);
    *p_++ = '}';
    *p_++ = ' ';
  }
  void value(std::uint64_t v) {
    if (fallback_) {
      append_uint(out_, v);
      out_ += '\n';
      return;
    }
    p_ = std::to_chars(p_, p_ + 20, v).ptr;
    finish();
  }
  void value(nanoseconds v) {
    if (fallback_) {
      append_seconds(out_, v);
      out_ += '\n';
      return;
    }
    p_ = format_seconds(p_, v);
    finish();
  }

 private:
  void put(std::string_view s) {
    if (s.empty()) return;  // an empty view may have a null data(): memcpy's arguments must not
    std::memcpy(p_, s.data(), s.size());
    p_ += s.size();
  }
  void finish() {
    *p_++ = '\n';
    out_.append(buf_, static_cast<std::size_t>(p_ - buf_));
  }
  std::string& out_;
  char buf_[512];
  char* p_ = buf_;
  bool fallback_ = false;
};

void open(std::string& out, std::string_view name, std::string_view labels) {
  out += name;
  out += '{';
  out += labels;
}

void close_uint(std::string& out, std::uint64_t v) {
  out += "} ";
  append_uint(out, v);
  out += '\n';
}

// Calls f(out, labels, interface, peer) for every peer, in snapshot order.
template <typename F>
void each_peer(const Snapshot& s, const PeerLabels& labels, F&& f) {
  std::size_t k = 0;
  for (const auto& i : s.interfaces) {
    for (const auto& p : i.peers) f(labels[k++], i, p);
  }
}

template <typename Value>
void peer_family(std::string& out, const Snapshot& s, const PeerLabels& labels,
                 std::string_view name, std::string_view type, std::string_view help,
                 Value&& value) {
  append_family(out, name, type, help);
  each_peer(s, labels, [&](std::string_view l, const InterfaceSnapshot&, const PeerSnapshot& p) {
    Series(out, name, l).value(static_cast<std::uint64_t>(value(p)));
  });
}

template <typename Value>
void optional_seconds_family(std::string& out, const Snapshot& s, const PeerLabels& labels,
                             std::string_view name, std::string_view help, Value&& value) {
  append_family(out, name, "gauge", help);
  each_peer(s, labels, [&](std::string_view l, const InterfaceSnapshot&, const PeerSnapshot& p) {
    const std::optional<nanoseconds> v = value(p);
    if (v) Series(out, name, l).value(*v);
  });
}

void render_peers(const Snapshot& s, std::string& out) {
  const PeerLabels labels(s);
  constexpr std::string_view kInfo = "wgtrack_peer_info";
  append_family(out, kInfo, "gauge",
                "Peer metadata, value 1: endpoint (empty when none), allowed IPs and name. "
                "Join on interface and public_key.");
  std::string endpoint;
  each_peer(s, labels, [&](std::string_view, const InterfaceSnapshot& i, const PeerSnapshot& p) {
    out += kInfo;
    append_label(out, "{interface", i.name, true);
    append_key(out, p.key);
    append_label(out, "name", p.name);
    out += ",endpoint=\"";
    if (p.endpoint) {
      endpoint.clear();
      p.endpoint->append_to(endpoint);
      append_label_value(out, endpoint);  // a scope name is an interface name: escape anyway
    }
    out += "\",allowed_ips=\"";
    for (std::size_t a = 0; a < p.allowed_ips.size(); ++a) {
      if (a != 0) out += ',';
      p.allowed_ips[a].append_to(out);
    }
    out += "\"} 1\n";
  });
  peer_family(out, s, labels, "wgtrack_peer_up", "gauge",
              "1 if the peer is up, idle or stale; 0 if it is down or never connected.",
              [](const PeerSnapshot& p) { return counts_as_up(p.health) ? 1u : 0u; });

  constexpr std::string_view kState = "wgtrack_peer_state";
  append_family(out, kState, "gauge",
                "Health state of the peer: 1 for the current state, 0 for the others.");
  std::string state_labels[kSnapshotStates.size()];  // `,state="up"`, once per render
  for (std::size_t k = 0; k < kSnapshotStates.size(); ++k) {
    append_label(state_labels[k], "state", to_string(kSnapshotStates[k]));
  }
  each_peer(s, labels, [&](std::string_view l, const InterfaceSnapshot&, const PeerSnapshot& p) {
    for (std::size_t k = 0; k < kSnapshotStates.size(); ++k) {
      Series(out, kState, l, state_labels[k]).value(std::uint64_t{p.health == kSnapshotStates[k]});
    }
  });
  optional_seconds_family(out, s, labels, "wgtrack_peer_state_since_timestamp_seconds",
                          "UNIX time at which the peer entered its current state.",
                          [&](const PeerSnapshot& p) -> std::optional<nanoseconds> {
                            return p.state_since.time_since_epoch();
                          });
  optional_seconds_family(
      out, s, labels, "wgtrack_peer_last_handshake_timestamp_seconds",
      "UNIX time of the latest handshake. Absent if the peer never completed one.",
      [](const PeerSnapshot& p) -> std::optional<nanoseconds> {
        if (!p.last_handshake) return std::nullopt;
        return p.last_handshake->time_since_epoch();
      });
  optional_seconds_family(
      out, s, labels, "wgtrack_peer_handshake_age_seconds",
      "Seconds since the latest handshake (monotonic). Absent if the peer never completed one.",
      [](const PeerSnapshot& p) { return p.handshake_age; });
  peer_family(out, s, labels, "wgtrack_peer_receive_bytes_total", "counter",
              "Bytes received from the peer.", [](const PeerSnapshot& p) { return p.rx_bytes; });
  peer_family(out, s, labels, "wgtrack_peer_transmit_bytes_total", "counter",
              "Bytes sent to the peer.", [](const PeerSnapshot& p) { return p.tx_bytes; });
  optional_seconds_family(
      out, s, labels, "wgtrack_peer_probe_rtt_seconds",
      "Round-trip time of the last answered in-tunnel probe. Absent before the first answer.",
      [](const PeerSnapshot& p) { return p.probes.last_rtt; });
  peer_family(out, s, labels, "wgtrack_peer_probes_sent_total", "counter",
              "In-tunnel probes sent to the peer.",
              [](const PeerSnapshot& p) { return p.probes.sent; });
  peer_family(out, s, labels, "wgtrack_peer_probes_lost_total", "counter",
              "In-tunnel probes that got no reply in time.",
              [](const PeerSnapshot& p) { return p.probes.lost; });
  peer_family(out, s, labels, "wgtrack_peer_probe_consecutive_failures", "gauge",
              "In-tunnel probes lost in a row since the last answered one.",
              [](const PeerSnapshot& p) {
                return static_cast<std::uint64_t>(std::max(p.probes.consecutive_failures, 0));
              });

  constexpr std::string_view kChanges = "wgtrack_peer_endpoint_changes_total";
  append_family(out, kChanges, "counter",
                "Endpoint changes by reason (roamed: the peer moved; others: wgtrack moved it).");
  each_peer(s, labels, [&](std::string_view l, const InterfaceSnapshot&, const PeerSnapshot& p) {
    for (const ReasonCount& c : p.endpoint_changes) {
      open(out, kChanges, l);
      append_label(out, "reason", c.reason);
      close_uint(out, c.count);
    }
  });
}

void render_interfaces(const Snapshot& s, std::string& out) {
  constexpr std::string_view kInfo = "wgtrack_interface_info";
  append_family(out, kInfo, "gauge",
                "Interface metadata, value 1: backend and public key (empty when none).");
  for (const auto& i : s.interfaces) {
    out += kInfo;
    append_label(out, "{interface", i.name, true);
    append_label(out, "backend", to_string(i.backend));
    append_label(out, "public_key", i.public_key ? i.public_key->to_base64() : "");
    out += "} 1\n";
  }
  constexpr std::string_view kPort = "wgtrack_interface_listen_port";
  append_family(out, kPort, "gauge", "UDP port the interface listens on (0: none yet).");
  for (const auto& i : s.interfaces) {
    out += kPort;
    append_label(out, "{interface", i.name, true);
    close_uint(out, i.listen_port);
  }
  constexpr std::string_view kPeers = "wgtrack_interface_peers";
  append_family(out, kPeers, "gauge", "Peers of the interface by health state.");
  for (const auto& i : s.interfaces) {
    std::uint64_t counts[kSnapshotStates.size()] = {};
    for (const auto& p : i.peers) {
      for (std::size_t k = 0; k < kSnapshotStates.size(); ++k) {
        if (p.health == kSnapshotStates[k]) ++counts[k];
      }
    }
    for (std::size_t k = 0; k < kSnapshotStates.size(); ++k) {
      out += kPeers;
      append_label(out, "{interface", i.name, true);
      append_label(out, "state", to_string(kSnapshotStates[k]));
      close_uint(out, counts[k]);
    }
  }
}

void single(std::string& out, std::string_view name, std::string_view type, std::string_view help,
            std::uint64_t value) {
  append_family(out, name, type, help);
  out += name;
  out += ' ';
  append_uint(out, value);
  out += '\n';
}

void single_seconds(std::string& out, std::string_view name, std::string_view help,
                    nanoseconds value) {
  append_family(out, name, "gauge", help);
  out += name;
  out += ' ';
  append_seconds(out, value);
  out += '\n';
}

void render_self(const Snapshot& s, const PrometheusOptions& o, std::string& out) {
  const SelfMetrics& m = s.self;
  single(out, "wgtrack_cycles_total", "counter", "Monitoring cycles completed.", m.cycles);
  single_seconds(out, "wgtrack_cycle_duration_seconds",
                 "Duration of the last cycle (read WireGuard, judge peers).",
                 m.last_cycle_duration);
  single(out, "wgtrack_last_cycle_success", "gauge",
         "1 if the last cycle read every interface, 0 if a read failed.", m.last_cycle_ok ? 1 : 0);
  constexpr std::string_view kBackend = "wgtrack_backend_errors_total";
  append_family(out, kBackend, "counter", "Failed WireGuard reads and writes by error code.");
  for (std::size_t c = 0; c < kErrorCodeCount; ++c) {
    out += kBackend;
    append_label(out, "{code", error_code_label(static_cast<ErrorCode>(c)), true);
    close_uint(out, m.backend_errors[c]);
  }
  single(out, "wgtrack_probe_errors_total", "counter",
         "In-tunnel probes that could not be sent (lost probes are per peer).", m.probe_errors);
  single(out, "wgtrack_resolver_errors_total", "counter",
         "Failed DNS resolutions of endpoint candidates.", m.resolver_errors);
  constexpr std::string_view kEvents = "wgtrack_events_total";
  append_family(out, kEvents, "counter", "Events published, by type.");
  for (std::size_t t = 0; t < kEventTypeCount; ++t) {
    out += kEvents;
    append_label(out, "{type", to_string(static_cast<EventType>(t)), true);
    close_uint(out, m.events[t]);
  }
  single_seconds(out, "wgtrack_snapshot_timestamp_seconds",
                 "UNIX time of the cycle these metrics describe.", s.taken_at.time_since_epoch());
  if (o.scrape_duration) {
    single_seconds(out, "wgtrack_scrape_duration_seconds",
                   "Time the previous rendering of these metrics took.", *o.scrape_duration);
  }
}

}  // namespace

void render_native(const Snapshot& snapshot, const PrometheusOptions& options, std::string& out) {
  render_peers(snapshot, out);
  render_interfaces(snapshot, out);
  render_self(snapshot, options, out);
}

}  // namespace wgtrack::prom
