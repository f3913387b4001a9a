#include "sinks/journal/journal_format.h"

#include <algorithm>
#include <cstdint>
#include <ctime>

#include "events/sink_text.h"

namespace wgtrack {

const std::string* JournalEntry::find(std::string_view name) const {
  for (const auto& f : fields) {
    if (f.name == name) return &f.value;
  }
  return nullptr;
}

int event_severity(const Event& e) {
  switch (e.type) {
    case EventType::kInitialStatus:
    case EventType::kHandshake:
      return kSeverityInfo;
    case EventType::kPeerRemoved:
    case EventType::kResolveFailed:
    case EventType::kCandidateUnreachable:
      return kSeverityWarning;
    case EventType::kStatusChange:
      return e.status == "down" ? kSeverityWarning : kSeverityNotice;
    case EventType::kPeerAdded:
    case EventType::kEndpointChanged:
      return kSeverityNotice;
  }
  return kSeverityNotice;
}

JournalEntry journal_entry(const Event& e, std::string_view identifier) {
  JournalEntry entry;
  auto& f = entry.fields;
  f.reserve(14);
  f.push_back({"MESSAGE", event_json_line(e)});
  f.push_back({"PRIORITY", std::to_string(event_severity(e))});
  f.push_back({"SYSLOG_FACILITY", std::to_string(kFacilityDaemon)});
  f.push_back({"SYSLOG_IDENTIFIER", std::string(identifier)});
  f.push_back({"WGTRACK_EVENT", std::string(to_string(e.type))});
  const auto text = [&f](const char* name, std::string_view value) {
    if (!value.empty()) f.push_back({name, sanitize_text(value)});
  };
  text("WGTRACK_INTERFACE", e.interface);
  f.push_back({"WGTRACK_PEER", e.peer.to_base64()});
  text("WGTRACK_NAME", e.name);
  text("WGTRACK_STATUS", e.status);
  text("WGTRACK_OLD_STATUS", e.old_status);
  if (e.endpoint) f.push_back({"WGTRACK_ENDPOINT", e.endpoint->to_string()});
  if (e.old_endpoint && e.type == EventType::kEndpointChanged)
    f.push_back({"WGTRACK_OLD_ENDPOINT", e.old_endpoint->to_string()});
  text("WGTRACK_REASON", e.reason);
  return entry;
}

std::string encode_journal_native(const JournalEntry& entry) {
  std::string out;
  for (const auto& f : entry.fields) {
    out += f.name;
    if (f.value.find('\n') == std::string::npos) {
      out += '=';
      out += f.value;
    } else {
      out += '\n';
      std::uint64_t n = f.value.size();
      for (int i = 0; i < 8; ++i, n >>= 8) out += static_cast<char>(n & 0xff);
      out += f.value;
    }
    out += '\n';
  }
  return out;
}

std::string format_syslog_line(int severity, WallTime time, std::string_view host,
                               std::string_view identifier, long pid, std::string_view message) {
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t tt = static_cast<std::time_t>(
      std::chrono::floor<std::chrono::seconds>(time.time_since_epoch()).count());
  std::tm tm{};
  localtime_r(&tt, &tm);
  char head[64];
  std::snprintf(head, sizeof head, "<%d>%s %2d %02d:%02d:%02d ",
                kFacilityDaemon * 8 + std::clamp(severity, 0, 7), kMonths[tm.tm_mon % 12],
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  std::string out = head;
  out += host.empty() ? std::string_view("-") : host;
  out += ' ';
  out += identifier;
  out += '[';
  out += std::to_string(pid);
  out += "]: ";
  out += message;
  return out;
}

bool is_valid_identifier(std::string_view id) {
  if (id.empty() || id.size() > 32) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
  });
}

}  // namespace wgtrack
