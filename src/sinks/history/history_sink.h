// HistorySink: the daemon's side of the history. An EventSink (every event is stored) plus
// record_counters(), called once per cycle with the cycle's Snapshot.
//
// Threads: everything the loop calls (publish, record_counters, flush, stats) only copies an
// event or a shared_ptr into a bounded queue; a writer thread owned by the sink does the rest:
// the counter samples (CounterBook, ~25 ns per peer: too much for the loop at 10,000 peers)
// and all SQLite I/O, one transaction per wake-up for everything queued (docs/architecture.md
// rule 7: an event sink owns a bounded queue; rule 8: the loop never blocks). The writer never
// logs: it keeps its errors for the loop, which reports them from flush() through the SinkLog,
// once per streak (FailureReporter).
//
// Samples may be skipped, never lost: a delta is computed from the raw counters, so when the
// writer is behind (more than kMaxQueuedSnapshots waiting) a new snapshot is skipped and the
// next sample carries its traffic; only a counter reset inside the skipped time loses the
// traffic before the reset.
//
// Degrading: create() fails with the store's error (corrupt file, unwritable path) and the
// daemon runs without history. Later failures (disk full, the file damaged under us) drop the
// failed batch, count it (SinkStats::events_dropped, errors), set degraded, and the next batch
// tries again; a damaged file (kProtocol) stops writing for good. A full queue drops the new
// batch (counted). Nothing ever throws into the loop.
//
// Counters go through a CounterBook (counter_book.h): a sample every cycle, rows every minute.
// Lifetime: the daemon keeps the sink across SIGHUP and adds make_history_feed(sink) to each
// new EventBus. The destructor closes the open buckets, writes them with the run's stop time,
// and joins the writer (bounded by the last transaction).
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "events/event_sink.h"
#include "sinks/history/counter_book.h"
#include "sinks/history/history_options.h"
#include "sinks/history/history_store.h"
#include "snapshot/snapshot.h"

namespace wgtrack {

class HistorySink final : public EventSink {
 public:
  // Opens (creating, migrating) the database, loads the stored totals and starts a run at
  // `now` — on the caller's thread, once at start-up — then starts the writer thread.
  static Result<std::unique_ptr<HistorySink>> create(HistoryOptions options, WallTime now,
                                                     SinkLog log);
  ~HistorySink() override;
  HistorySink(const HistorySink&) = delete;
  HistorySink& operator=(const HistorySink&) = delete;

  // Queued for the next flush().
  void publish(const Event& event) override;
  // One counter sample per peer, taken on the writer thread (call once per cycle with the
  // cycle's snapshot; the sink only keeps a reference).
  void record_counters(std::shared_ptr<const Snapshot> snapshot);
  // Hands what is pending to the writer (at least a heartbeat every kHeartbeat) and reports
  // the writer's trouble. Called each cycle by the EventBus.
  void flush() override;
  SinkStats stats() const override;

  // Blocks until the writer has written everything handed to it so far (tests, shutdown).
  void wait_idle();
  std::uint64_t counter_resets() const { return resets_.load(); }
  std::uint64_t batches_written() const { return batches_written_.load(); }
  std::uint64_t samples_skipped() const { return samples_skipped_; }

  static constexpr std::chrono::seconds kHeartbeat{30};
  static constexpr std::size_t kMaxQueuedSnapshots = 2;

 private:
  HistorySink(HistoryOptions options, HistoryStore store, SinkLog log);
  void submit(bool stopping);
  void writer_main();

  HistoryOptions options_;
  FailureReporter reporter_;
  HistoryBatch pending_;  // loop side
  WallTime last_submit_{};
  WallTime latest_{};  // newest wall time seen (snapshot or event)
  std::uint64_t samples_skipped_ = 0;

  // Shared with the writer thread (mutex_).
  mutable std::mutex mutex_;
  std::condition_variable wake_, idle_;
  std::deque<HistoryBatch> queue_;
  std::size_t queued_snapshots_ = 0;
  bool stop_ = false;
  bool busy_ = false;
  struct Outcome {
    bool ok = false;
    std::string message;
  };
  std::vector<Outcome> outcomes_;  // failures, and the first success after them, to report
  std::atomic<std::uint64_t> written_{0}, dropped_{0}, errors_{0}, batches_written_{0}, resets_{0};
  std::atomic<bool> degraded_{false}, broken_{false};

  // Writer thread only after construction.
  CounterBook book_;
  HistoryStore store_;
  WallTime last_maintenance_{};
  std::thread writer_;
};

// An EventSink that forwards to a HistorySink the daemon keeps across EventBus rebuilds.
std::unique_ptr<EventSink> make_history_feed(HistorySink& sink);

}  // namespace wgtrack
