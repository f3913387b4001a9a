#include "sinks/json/json_api.h"

#include "core/json.h"
#include "sinks/json/json_objects.h"
#include "sinks/json/json_values.h"
#include "snapshot/self_metrics.h"

namespace wgtrack {
namespace {

// A peer object is about 650 bytes with a name, an endpoint and two allowed IPs (measured on
// the benchmark's synthetic peers): reserving once avoids ~15 regrowths at 10,000 peers.
constexpr std::size_t kBytesPerPeer = 700;

void append_daemon(std::string& out, const Snapshot& s, const JsonApiOptions& o) {
  const SelfMetrics& m = s.self;
  out += "\"daemon\":{\"version\":";
  append_json_string(out, o.version);
  out += ",\"uptime_seconds\":";
  if (o.uptime)
    append_int(out, std::chrono::floor<std::chrono::seconds>(*o.uptime).count());
  else
    out += "null";
  out += ",\"cycles\":";
  append_uint(out, m.cycles);
  out += ",\"last_cycle_duration_ms\":";
  append_fixed(out, m.last_cycle_duration.count(), 6);
  out += m.last_cycle_ok ? ",\"last_cycle_ok\":true" : ",\"last_cycle_ok\":false";
  out += ",\"probe_errors\":";
  append_uint(out, m.probe_errors);
  out += ",\"resolver_errors\":";
  append_uint(out, m.resolver_errors);
  out += ",\"backend_errors\":{";
  for (std::size_t k = 0; k < kErrorCodeCount; ++k) {
    if (k) out += ',';
    out += '"';
    out += error_code_label(static_cast<ErrorCode>(k));
    out += "\":";
    append_uint(out, m.backend_errors[k]);
  }
  out += "},\"events\":{";
  for (std::size_t k = 0; k < kEventTypeCount; ++k) {
    if (k) out += ',';
    out += '"';
    out += to_string(static_cast<EventType>(k));
    out += "\":";
    append_uint(out, m.events[k]);
  }
  out += "}}";
}

}  // namespace

void render_status_json(const Snapshot& snapshot, const JsonApiOptions& options, std::string& out) {
  std::size_t peers = 0;
  for (const InterfaceSnapshot& i : snapshot.interfaces) peers += i.peers.size();
  out.reserve(out.size() + 1024 + peers * kBytesPerPeer);
  std::string scratch;
  out += '{';
  json_api::append_taken_at(out, snapshot);
  out += ',';
  append_daemon(out, snapshot, options);
  out += ",\"interfaces\":[";
  for (std::size_t k = 0; k < snapshot.interfaces.size(); ++k) {
    if (k) out += ',';
    json_api::append_interface(out, snapshot.interfaces[k], scratch);
  }
  out += "]}\n";
}

std::string render_status_json(const Snapshot& snapshot, const JsonApiOptions& options) {
  std::string out;
  render_status_json(snapshot, options, out);
  return out;
}

std::optional<std::string> render_interface_json(const Snapshot& snapshot, std::string_view name) {
  const InterfaceSnapshot* i = find_interface(snapshot, name);
  if (i == nullptr) return std::nullopt;
  std::string out, scratch;
  out.reserve(256 + i->peers.size() * kBytesPerPeer);
  out += '{';
  json_api::append_taken_at(out, snapshot);
  out += ",\"interface\":";
  json_api::append_interface(out, *i, scratch);
  out += "}\n";
  return out;
}

std::optional<std::string> render_peer_json(const Snapshot& snapshot, std::string_view key,
                                            std::string_view interface) {
  const std::optional<PublicKey> parsed = parse_peer_key(key);
  if (!parsed) return std::nullopt;
  const std::string text = parsed->to_base64();
  for (const InterfaceSnapshot& i : snapshot.interfaces) {
    if (!interface.empty() && std::string_view(i.name) != interface) continue;
    const PeerSnapshot* p = find_peer(i, text);  // snapshot.h
    if (p == nullptr) continue;
    std::string out, scratch;
    out += '{';
    json_api::append_taken_at(out, snapshot);
    out += ",\"interface\":";
    append_json_string(out, i.name);
    out += ",\"peer\":";
    json_api::append_peer(out, *p, scratch);
    out += "}\n";
    return out;
  }
  return std::nullopt;
}

std::optional<PublicKey> parse_peer_key(std::string_view text) {
  if (text.size() == 64) {
    if (auto k = PublicKey::from_hex(text)) return *k;
    return std::nullopt;
  }
  if (text.size() != 44) return std::nullopt;
  std::string b64(text);
  // The URL-safe alphabet differs in two characters that the standard one never uses, so
  // translating them cannot turn an invalid key into someone else's.
  for (char& c : b64) {
    if (c == '-')
      c = '+';
    else if (c == '_')
      c = '/';
  }
  if (auto k = PublicKey::from_base64(b64)) return *k;
  return std::nullopt;
}

}  // namespace wgtrack
