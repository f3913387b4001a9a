// HistoryOptions: the [history] section of wgtrack.conf, already parsed (the config layer owns
// the text syntax; durations use config/durations.h, sizes bytes).
//
//   [history]
//   enabled = yes                          ; no: no database is opened at all
//   path = /var/lib/wgtrack/history.db
//   retention_minutes = 1d                 ; 1-minute traffic samples kept this long
//   retention_hours = 90d                  ; 1-hour traffic samples kept this long
//   retention_events = 90d                 ; events (and daemon runs) kept this long
//   max_size = 100M                        ; bytes of live data; oldest rows go first
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace wgtrack {

inline constexpr const char* kDefaultHistoryPath = "/var/lib/wgtrack/history.db";

struct HistoryOptions {
  bool enabled = true;
  std::string path = kDefaultHistoryPath;
  std::chrono::seconds retention_minutes = std::chrono::hours(24);
  std::chrono::seconds retention_hours = std::chrono::hours(24 * 90);
  std::chrono::seconds retention_events = std::chrono::hours(24 * 90);
  std::uint64_t max_size = 100u * 1024 * 1024;  // bytes; 0 = unbounded
  // Batches waiting for the writer thread; beyond this a batch is dropped (and counted).
  std::size_t max_queued_batches = 256;
  // How often the writer applies retention and the size bound (wall time between runs).
  std::chrono::seconds maintenance_interval = std::chrono::minutes(10);
};

}  // namespace wgtrack
