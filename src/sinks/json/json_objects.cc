#include "sinks/json/json_objects.h"

#include "core/json.h"
#include "sinks/json/json_values.h"

namespace wgtrack::json_api {
namespace {

void append_key(std::string& out, const std::string& key_base64) {
  // Base64 is plain ASCII without quotes or backslashes: no escaping needed.
  out += '"';
  out += key_base64;
  out += '"';
}

void append_opt_text(std::string& out, const std::string& s) {
  if (s.empty())
    out += "null";
  else
    append_json_string(out, s);
}

void append_time_pair(std::string& out, std::string_view name, WallTime t) {
  out += '"';
  out += name;
  out += "\":";
  append_rfc3339_utc(out, t);
  out += ",\"";
  out += name;
  out += "_unix\":";
  append_int(out, unix_seconds(t));
}

void append_opt_rate(std::string& out, const std::optional<double>& rate) {
  if (rate)
    append_decimal3(out, *rate);
  else
    out += "null";
}

void append_recovery(std::string& out, const RecoverySnapshot& r, std::string& scratch) {
  out += "{\"phase\":";
  append_json_string(out, r.phase);
  out += ",\"candidates\":[";
  for (std::size_t i = 0; i < r.candidates.size(); ++i) {
    const CandidateSnapshot& c = r.candidates[i];
    if (i) out += ',';
    out += "{\"endpoint\":";
    append_json_endpoint(out, c.endpoint, scratch);
    out += ",\"host\":";
    append_json_string(out, c.host);
    out += ",\"probe\":";
    append_json_string(out, c.probe);
    out += c.current ? ",\"current\":true" : ",\"current\":false";
    out += ",\"failures\":";
    append_int(out, c.failures);
    out += ",\"backoff_until\":";
    if (c.backoff_until)
      append_rfc3339_utc(out, *c.backoff_until);
    else
      out += "null";
    out += '}';
  }
  out += "],\"hosts\":[";
  for (std::size_t i = 0; i < r.hosts.size(); ++i) {
    const HostSnapshot& h = r.hosts[i];
    if (i) out += ',';
    out += "{\"host\":";
    append_json_string(out, h.host);
    out += ",\"addresses\":";
    append_uint(out, h.addresses);
    out += ",\"error\":";
    if (h.error)
      append_json_string(out, *h.error);
    else
      out += "null";
    out += h.permanent ? ",\"permanent\":true}" : ",\"permanent\":false}";
  }
  out += "],\"last_switch\":";
  if (r.last_switch) {
    const SwitchSnapshot& s = *r.last_switch;
    out += "{\"from\":";
    append_json_endpoint(out, s.from, scratch);
    out += ",\"to\":";
    append_json_endpoint(out, s.to, scratch);
    out += ",\"reason\":";
    append_json_string(out, s.reason);
    out += ',';
    append_time_pair(out, "at", s.at);
    out += ",\"outcome\":";
    append_json_string(out, s.outcome);
    out += '}';
  } else {
    out += "null";
  }
  out += '}';
}

}  // namespace

void append_taken_at(std::string& out, const Snapshot& snapshot) {
  append_time_pair(out, "taken_at", snapshot.taken_at);
}

void append_peer(std::string& out, const PeerSnapshot& p, std::string& scratch) {
  out += "{\"public_key\":";
  append_key(out, p.key);
  out += ",\"name\":";
  append_opt_text(out, p.name);
  out += ",\"state\":\"";
  out += to_string(p.health);
  out += counts_as_up(p.health) ? "\",\"up\":true," : "\",\"up\":false,";
  append_time_pair(out, "state_since", p.state_since);
  out += ",\"reason\":";
  append_opt_text(out, p.reason);
  out += ",\"endpoint\":";
  append_json_endpoint(out, p.endpoint, scratch);
  out += ",\"allowed_ips\":";
  append_json_prefixes(out, p.allowed_ips);
  out += ',';
  if (p.last_handshake) {
    append_time_pair(out, "last_handshake", *p.last_handshake);
  } else {
    out += "\"last_handshake\":null,\"last_handshake_unix\":null";
  }
  out += ",\"handshake_age_seconds\":";
  if (p.handshake_age) {
    append_int(out, std::chrono::floor<std::chrono::seconds>(*p.handshake_age).count());
  } else {
    out += "null";
  }
  out += ",\"rx_bytes\":";
  append_uint(out, p.rx_bytes);
  out += ",\"tx_bytes\":";
  append_uint(out, p.tx_bytes);
  out += ",\"rx_bytes_per_second\":";
  append_opt_rate(out, p.rx_rate);
  out += ",\"tx_bytes_per_second\":";
  append_opt_rate(out, p.tx_rate);
  out += ",\"persistent_keepalive\":";
  if (p.persistent_keepalive != 0)
    append_uint(out, p.persistent_keepalive);
  else
    out += "null";
  out += ",\"probes\":{\"sent\":";
  append_uint(out, p.probes.sent);
  out += ",\"lost\":";
  append_uint(out, p.probes.lost);
  out += ",\"last_rtt_ms\":";
  if (p.probes.last_rtt)
    append_fixed(out, p.probes.last_rtt->count(), 6);  // ns -> ms
  else
    out += "null";
  out += ",\"consecutive_failures\":";
  append_int(out, p.probes.consecutive_failures);
  out += ",\"target\":";
  if (p.probes.target) {
    out += '"';
    append_ip(out, p.probes.target->family(), p.probes.target->address().data());
    out += '"';
  } else {
    out += "null";
  }
  out += ",\"target_source\":\"";
  out += to_code(p.probes.target_source);
  out += "\"},\"endpoint_changes\":{";
  for (std::size_t i = 0; i < p.endpoint_changes.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, p.endpoint_changes[i].reason);
    out += ':';
    append_uint(out, p.endpoint_changes[i].count);
  }
  out += "},\"recovery\":";
  if (p.recovery)
    append_recovery(out, *p.recovery, scratch);
  else
    out += "null";
  out += '}';
}

void append_interface(std::string& out, const InterfaceSnapshot& i, std::string& scratch) {
  append_json_interface_head(out, i.name, i.backend, i.public_key, i.listen_port, i.fwmark);
  out += ",\"peer_count\":";
  append_uint(out, i.peers.size());
  // One pass for all states (InterfaceSnapshot::count is one pass per state).
  std::array<std::uint64_t, kSnapshotStates.size()> counts{};
  for (const PeerSnapshot& p : i.peers) {
    for (std::size_t k = 0; k < kSnapshotStates.size(); ++k) {
      if (kSnapshotStates[k] == p.health) ++counts[k];
    }
  }
  out += ",\"peer_counts\":{";
  for (std::size_t k = 0; k < kSnapshotStates.size(); ++k) {
    if (k) out += ',';
    out += '"';
    out += to_string(kSnapshotStates[k]);
    out += "\":";
    append_uint(out, counts[k]);
  }
  out += "},\"peers\":[";
  for (std::size_t k = 0; k < i.peers.size(); ++k) {
    if (k) out += ',';
    append_peer(out, i.peers[k], scratch);
  }
  out += "]}";
}

}  // namespace wgtrack::json_api
