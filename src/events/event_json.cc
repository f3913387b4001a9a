#include "events/event_json.h"

#include <ctime>

#include "core/json.h"

namespace wgtrack {
namespace {

void append_opt_string(std::string& out, const std::string& s) {
  if (s.empty()) out += "null";
  else append_json_string(out, s);
}

void append_opt_endpoint(std::string& out, const std::optional<Endpoint>& e) {
  if (!e) {
    out += "null";
    return;
  }
  append_json_string(out, e->to_string());
}

}  // namespace

std::string format_rfc3339_utc(WallTime t) {
  const auto secs = std::chrono::floor<std::chrono::seconds>(t.time_since_epoch());
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch() - secs);
  const std::time_t tt = static_cast<std::time_t>(secs.count());
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];  // sized for any int year, which silences -Wformat-truncation honestly
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms.count()));
  return buf;
}

void append_event_json(std::string& out, const Event& e) {
  out += "{\"event\":\"";
  out += to_string(e.type);
  out += "\",\"timestamp\":";
  append_int(out, std::chrono::floor<std::chrono::seconds>(e.timestamp.time_since_epoch()).count());
  out += ",\"time\":\"";
  out += format_rfc3339_utc(e.timestamp);
  out += "\",\"interface\":";
  append_json_string(out, e.interface);
  out += ",\"peer\":\"";
  e.peer.append_base64(out);
  out += "\",\"name\":";
  append_opt_string(out, e.name);
  out += ",\"old_status\":";
  append_opt_string(out, e.old_status);
  out += ",\"status\":";
  append_opt_string(out, e.status);
  if (e.type == EventType::kStatusChange) {
    out += ",\"new_status\":";
    append_opt_string(out, e.status);
  }
  out += ",\"endpoint\":";
  append_opt_endpoint(out, e.endpoint);
  if (e.type == EventType::kEndpointChanged) {
    out += ",\"old_endpoint\":";
    append_opt_endpoint(out, e.old_endpoint);
  }
  out += ",\"reason\":";
  append_opt_string(out, e.reason);
  out += '}';
}

std::string event_json(const Event& event) {
  std::string s;
  append_event_json(s, event);
  return s;
}

}  // namespace wgtrack
