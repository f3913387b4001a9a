// Journal: the narrow seam between the journal sink and the system logger (docs/architecture.md
// rule 3). Two real implementations, both a non-blocking unix datagram socket with an
// injectable path:
//  - the journald native protocol to /run/systemd/journal/socket (structured fields);
//  - RFC 3164 syslog lines to /dev/log when there is no journal (containers, non-systemd).
// Why not sd_journal_sendv(3): its socket is blocking, so a journald that stalls (disk flush,
// rotation, rate-limit backlog) would stall our loop (rule 7); the native protocol is a
// documented stable interface (systemd.io/JOURNAL_NATIVE_PROTOCOL) and lets us see EAGAIN.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "sinks/journal/journal_format.h"

namespace wgtrack {

inline constexpr const char* kJournalSocketPath = "/run/systemd/journal/socket";
inline constexpr const char* kSyslogSocketPath = "/dev/log";

class Journal {
 public:
  virtual ~Journal();
  // Sends one entry without blocking. kTransient: the receiver's queue is full, try again
  // later; any other error: this entry cannot be delivered (it is not retried).
  virtual Result<void> send(const JournalEntry& entry) = 0;
  // "journal /run/systemd/journal/socket", "syslog /dev/log": for log messages.
  virtual std::string describe() const = 0;
};

// The journald native protocol over a datagram socket at `path`. kNotFound if no socket is
// there or nothing listens.
Result<std::unique_ptr<Journal>> open_native_journal(const std::string& path);
// RFC 3164 lines (format_syslog_line) with this host's name and our pid, at `path`.
Result<std::unique_ptr<Journal>> open_syslog(const std::string& path);

// The fallback rule: the journal if its socket accepts us, else syslog, else nullptr.
std::unique_ptr<Journal> connect_journal(const std::string& journal_path,
                                         const std::string& syslog_path);

}  // namespace wgtrack
