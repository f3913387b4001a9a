#include "sinks/exec/exec_env.h"

#include <cctype>

#include "events/sink_text.h"

namespace wgtrack {
namespace {

std::string allowed_ips_text(const std::vector<IpPrefix>& prefixes) {
  // As chouyu/wg_monitor: only host addresses when there are any (they name the peer), else all.
  bool any_host = false;
  for (const auto& p : prefixes) any_host = any_host || p.is_host();
  std::string out;
  for (const auto& p : prefixes) {
    if (any_host && !p.is_host()) continue;
    if (!out.empty()) out += ", ";
    if (any_host)
      append_ip(out, p.family(), p.address().data());
    else
      p.append_to(out);
  }
  return out;
}

}  // namespace

bool is_online_status(std::string_view status) {
  return status == "up" || status == "idle" || status == "stale";
}

std::string wg_monitor_event_name(const Event& e) {
  switch (e.type) {
    case EventType::kInitialStatus:
    case EventType::kPeerAdded:
    case EventType::kStatusChange:
      return is_online_status(e.status) ? "ONLINE" : "OFFLINE";
    case EventType::kEndpointChanged:
      return "ROAMING";
    case EventType::kPeerRemoved:
      return "REMOVED";
    default:
      break;
  }
  std::string name(to_string(e.type));
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

std::vector<std::string> exec_environment(const Event& e, std::string_view path_value) {
  std::vector<std::string> env;
  env.reserve(20);
  const auto add = [&env](std::string_view name, std::string_view value) {
    std::string v(name);
    v += '=';
    v += sanitize_text(value);
    env.push_back(std::move(v));
  };
  const std::string peer = e.peer.to_base64();
  const std::string endpoint = e.endpoint ? e.endpoint->to_string() : std::string();
  const std::string handshake = e.last_handshake
                                    ? std::to_string(std::chrono::floor<std::chrono::seconds>(
                                                         e.last_handshake->time_since_epoch())
                                                         .count())
                                    : std::string("0");

  add("PEER_EVENT", wg_monitor_event_name(e));
  add("PEER_IFACE", e.interface);
  add("PEER_PUBKEY", peer);
  add("PEER_ENDPOINT", endpoint);
  add("PEER_ALLOWED_IPS", allowed_ips_text(e.allowed_ips));
  add("PEER_HANDSHAKE", handshake);
  add("PEER_ONLINE", is_online_status(e.status) ? "1" : "0");

  add("WGTRACK_EVENT", to_string(e.type));
  add("WGTRACK_INTERFACE", e.interface);
  add("WGTRACK_PEER", peer);
  add("WGTRACK_NAME", e.name);
  add("WGTRACK_STATUS", e.status);
  add("WGTRACK_OLD_STATUS", e.old_status);
  add("WGTRACK_ENDPOINT", endpoint);
  add("WGTRACK_OLD_ENDPOINT", e.old_endpoint && e.type == EventType::kEndpointChanged
                                  ? e.old_endpoint->to_string()
                                  : std::string());
  add("WGTRACK_REASON", e.reason);
  std::string json = "WGTRACK_EVENT_JSON=";
  append_event_json_line(json, e);  // already one escaped line; no length cut for JSON
  env.push_back(std::move(json));
  add("PATH", path_value);
  return env;
}

}  // namespace wgtrack
