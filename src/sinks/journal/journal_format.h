// Pure formatting for the journal sink: an Event as journald fields, the journald native
// protocol datagram, and the RFC 3164 syslog line used when there is no journal.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "events/event.h"

namespace wgtrack {

struct JournalField {
  std::string name;  // uppercase A-Z, 0-9, '_'; not starting with '_' (journald's rule)
  std::string value;
};

struct JournalEntry {
  std::vector<JournalField> fields;
  const std::string* find(std::string_view name) const;  // nullptr when absent
};

// syslog(3) severities and the facility wgtrack logs under (RFC 5424 §6.2.1).
inline constexpr int kSeverityWarning = 4;
inline constexpr int kSeverityNotice = 5;
inline constexpr int kSeverityInfo = 6;
inline constexpr int kFacilityDaemon = 3;

// info for initial_status and handshakes, warning for a peer that went down, was removed or
// whose endpoint recovery failed, notice for every other change.
int event_severity(const Event& event);

// MESSAGE=<event JSON line>, PRIORITY, SYSLOG_IDENTIFIER, SYSLOG_FACILITY and the structured
// WGTRACK_EVENT, _INTERFACE, _PEER, _NAME, _STATUS, _OLD_STATUS, _ENDPOINT, _OLD_ENDPOINT,
// _REASON (empty ones omitted). Text fields are sanitize_text()ed: one printable line each.
JournalEntry journal_entry(const Event& event, std::string_view identifier);

// The journald native protocol (systemd.io/JOURNAL_NATIVE_PROTOCOL): "NAME=value\n" per field,
// or "NAME\n" + 64-bit little-endian length + value + "\n" when the value holds a newline.
std::string encode_journal_native(const JournalEntry& entry);

// RFC 3164 §4.1: "<PRI>Mmm dd hh:mm:ss HOST TAG[PID]: MSG", timestamp in local time, day
// space-padded, English month names whatever the locale. The Flask monitor
// (Xcelirate/wireguard_monitor) wrote "wireguard_monitor: <json>"; a sink configured with that
// identifier matches its tag.
std::string format_syslog_line(int severity, WallTime time, std::string_view host,
                               std::string_view identifier, long pid, std::string_view message);

// A syslog tag / journal identifier: 1..32 characters of [A-Za-z0-9_.-] (RFC 3164 §4.1.3
// allows 32; no space, ':' or '[' so it cannot forge the tag).
bool is_valid_identifier(std::string_view identifier);

}  // namespace wgtrack
