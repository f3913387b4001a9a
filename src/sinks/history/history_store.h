// HistoryStore: the SQLite database behind `wgtrack events`, `wgtrack uptime` and the
// dashboard's charts. Blocking I/O: the daemon uses it only from HistorySink's writer thread
// (never from the loop); the CLI uses it directly. One HistoryStore per thread.
//
// File: WAL mode (readers never block the writer), synchronous=NORMAL (a power cut may lose the
// last transactions, never corrupts), auto_vacuum=INCREMENTAL (deleted rows give pages back to
// the file system, so max_size really bounds the file). Schema version in PRAGMA user_version;
// open() applies the migrations from the file's version to kSchemaVersion in one transaction,
// and refuses a file written by a newer wgtrack (kUnsupported).
//
// Tables (times: events and runs in unix milliseconds, samples and peers in unix seconds):
//   peers(id, interface, key, name, first_seen, last_seen, rx_total, tx_total, rx_last, tx_last)
//                                     -- indexed by (interface, key) and by (key, last_seen)
//   events(id, ts, type, peer_id, interface, key, name, old_status, status, endpoint,
//          old_endpoint, reason)      -- every field of the event's JSON form (event_json.h);
//                                        the JSON itself is rebuilt on reading (half the size)
//   samples_minute / samples_hour(peer_id, t, rx, tx)  -- bytes in [t, t + 60 s / 3600 s)
//   runs(id, started_at, last_alive, stopped_at)       -- daemon runs, for "unknown" time
//
// Errors: a missing directory is kNotFound, a file we may not open or write
// kPermissionDenied, a damaged file (garbage, truncated) kProtocol, a busy or full disk
// kTransient; messages name the path.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "events/event.h"
#include "sinks/history/counter_book.h"
#include "sinks/history/history_options.h"
#include "sinks/history/uptime.h"

namespace wgtrack {

inline constexpr int kHistorySchemaVersion = 2;
// The oldest schema the read-only queries work on unchanged (2 only added an index): the CLI
// reads a database the running daemon has not migrated yet.
inline constexpr int kHistoryOldestReadableSchema = 1;

// One transaction's worth of writes.
struct HistoryBatch {
  std::vector<Event> events;
  CounterOutput counters;
  // A counter sample still to take (HistorySink's writer turns it into `counters`; write()
  // ignores it).
  std::shared_ptr<const Snapshot> snapshot;
  WallTime now{};         // the daemon's wall time when the batch was made: heartbeat
  bool stopping = false;  // the daemon stops: marks the run stopped at `now`
  std::size_t size() const { return events.size() + counters.rows.size(); }
};

struct StoredEvent {
  std::int64_t id = 0;
  WallTime at{};
  std::string type;
  std::string interface;
  std::string key;
  std::string name;
  std::string old_status;
  std::string status;
  std::string endpoint;  // "" when none
  std::string old_endpoint;
  std::string reason;
  std::string json;  // rebuilt with event_json(): the same document the other sinks wrote
};

struct EventQuery {
  WallTime since{};
  std::string peer;          // "" = all; else a base64 public key or a friendly name
  std::size_t limit = 1000;  // the newest `limit` events of the window
};

struct PeerUptimeRow {
  std::string interface;
  std::string key;
  std::string name;
  PeerUptime uptime;
};

struct UptimeReport {
  TimeWindow window;
  std::vector<AliveSpan> runs;  // daemon runs inside the window (clipped)
  std::vector<PeerUptimeRow> peers;
};

struct StoredPeer {
  std::int64_t id = 0;
  std::string interface;
  std::string key;
  std::string name;
  std::uint64_t rx_total = 0;
  std::uint64_t tx_total = 0;
  WallTime first_seen{};
  WallTime last_seen{};
};

struct TrafficSample {
  std::int64_t t = 0;  // bucket start, unix seconds
  std::uint64_t rx = 0;
  std::uint64_t tx = 0;
};

class HistoryStore {
 public:
  // A daemon run whose last sign of life is this recent counts as still running (its last
  // heartbeat may be a few cycles old).
  static constexpr std::chrono::seconds kAliveSlack{90};

  // Read-write: creates the file if needed, migrates, sets the pragmas above.
  static Result<HistoryStore> open(const std::string& path);
  // For the CLI: never writes (a missing file is kNotFound).
  static Result<HistoryStore> open_read_only(const std::string& path);
  ~HistoryStore();
  HistoryStore(HistoryStore&&) noexcept;
  HistoryStore& operator=(HistoryStore&&) noexcept;

  // Totals and last raw counters of every known peer (CounterBook::seed).
  Result<std::vector<CounterSeed>> load_seeds();
  // Starts a daemon run at `now`; later write()s are its heartbeats.
  Result<void> begin_run(WallTime now);
  // Everything in one transaction; on error nothing of it is stored. Bucket rows name peers by
  // the CounterBook slot announced in this or an earlier batch of this store.
  Result<void> write(const std::vector<HistoryBatch>& batches);
  // Retention and the size bound (history_options.h); then hands free pages back.
  Result<void> maintain(const HistoryOptions& options, WallTime now);
  // Bytes in use (pages not on the free list); the WAL file comes on top until a checkpoint.
  Result<std::uint64_t> live_bytes();

  Result<std::vector<StoredEvent>> query_events(const EventQuery& query);  // oldest first
  Result<UptimeReport> uptime(WallTime since, WallTime now);
  Result<std::vector<StoredPeer>> peers();
  // The peer with this key seen last (a key can be a peer of several interfaces); nullopt if
  // the history has none. An index lookup: the API asks this once per request.
  Result<std::optional<StoredPeer>> peer(std::string_view key);
  // Samples of one peer (by id) at 60 s or 3600 s resolution, oldest first.
  Result<std::vector<TrafficSample>> samples(std::int64_t peer_id, std::chrono::seconds resolution,
                                             WallTime since);

 private:
  struct Impl;
  explicit HistoryStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace wgtrack
