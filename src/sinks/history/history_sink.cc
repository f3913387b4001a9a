#include "sinks/history/history_sink.h"

namespace wgtrack {
namespace {

class HistoryFeed final : public EventSink {
 public:
  explicit HistoryFeed(HistorySink& sink) : sink_(sink) {}
  void publish(const Event& event) override { sink_.publish(event); }
  void flush() override { sink_.flush(); }
  SinkStats stats() const override { return sink_.stats(); }

 private:
  HistorySink& sink_;
};

}  // namespace

std::unique_ptr<EventSink> make_history_feed(HistorySink& sink) {
  return std::make_unique<HistoryFeed>(sink);
}

Result<std::unique_ptr<HistorySink>> HistorySink::create(HistoryOptions options, WallTime now,
                                                         SinkLog log) {
  auto store = HistoryStore::open(options.path);
  if (!store) return store.error();
  auto seeds = store->load_seeds();
  if (!seeds) return seeds.error();
  if (auto r = store->begin_run(now); !r) return r.error();
  std::unique_ptr<HistorySink> sink(
      new HistorySink(std::move(options), std::move(*store), std::move(log)));
  sink->book_.seed(*seeds);
  sink->latest_ = sink->last_submit_ = now;
  sink->writer_ = std::thread([s = sink.get()] { s->writer_main(); });
  return sink;
}

HistorySink::HistorySink(HistoryOptions options, HistoryStore store, SinkLog log)
    : options_(std::move(options)), reporter_(std::move(log)), store_(std::move(store)) {}

HistorySink::~HistorySink() {
  submit(true);  // the writer closes the open buckets with it
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  if (writer_.joinable()) writer_.join();
}

void HistorySink::publish(const Event& event) {
  pending_.events.push_back(event);
  if (event.timestamp > latest_) latest_ = event.timestamp;
}

void HistorySink::record_counters(std::shared_ptr<const Snapshot> snapshot) {
  if (!snapshot) return;
  if (snapshot->taken_at > latest_) latest_ = snapshot->taken_at;
  {
    std::lock_guard lock(mutex_);
    if (queued_snapshots_ >= kMaxQueuedSnapshots) {
      ++samples_skipped_;
      return;
    }
    ++queued_snapshots_;
  }
  pending_.snapshot = std::move(snapshot);
  submit(false);
}

void HistorySink::flush() {
  if (!pending_.events.empty() || latest_ - last_submit_ >= kHeartbeat) {
    submit(false);
  }
  std::vector<Outcome> outcomes;
  {
    std::lock_guard lock(mutex_);
    outcomes.swap(outcomes_);
  }
  for (const Outcome& o : outcomes) {
    if (o.ok) {
      reporter_.succeeded("history");
    } else {
      reporter_.failed(o.message);
    }
  }
}

void HistorySink::submit(bool stopping) {
  pending_.now = latest_;
  pending_.stopping = stopping;
  last_submit_ = latest_;
  {
    std::lock_guard lock(mutex_);
    // The stop batch is never dropped: it closes the run (and is the last one).
    if (!stopping && queue_.size() >= options_.max_queued_batches) {
      if (pending_.snapshot) --queued_snapshots_;
      dropped_ += pending_.events.size();
      ++errors_;
      degraded_ = true;
      outcomes_.push_back({false, "history: writer queue full, a batch was dropped"});
      pending_ = {};
      return;
    }
    queue_.push_back(std::move(pending_));
  }
  pending_ = {};
  wake_.notify_one();
}

SinkStats HistorySink::stats() const {
  return {.events_written = written_.load(),
          .events_dropped = dropped_.load(),
          .errors = errors_.load(),
          .degraded = degraded_.load() || broken_.load()};
}

void HistorySink::wait_idle() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return queue_.empty() && !busy_; });
}

void HistorySink::writer_main() {
  for (;;) {
    std::vector<HistoryBatch> work;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) break;  // stop_ and nothing left
      while (!queue_.empty()) {
        if (queue_.front().snapshot) --queued_snapshots_;
        work.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      busy_ = true;
    }
    // The counter samples, in order (a later batch's buckets may close an earlier one's).
    for (HistoryBatch& b : work) {
      if (b.snapshot) {
        book_.observe(*b.snapshot, b.counters);
        b.snapshot.reset();
      }
      if (b.stopping) book_.close_all(b.counters);
    }
    resets_ = book_.resets();
    std::size_t events = 0;
    for (const HistoryBatch& b : work) events += b.events.size();
    std::vector<Outcome> outcomes;
    if (broken_) {
      dropped_ += events;
    } else if (auto r = store_.write(work); !r) {
      dropped_ += events;
      ++errors_;
      outcomes.push_back({false, "history: " + r.error().message});
      // A damaged file does not heal: stop writing (the daemon keeps monitoring).
      if (r.error().code == ErrorCode::kProtocol) broken_ = true;
      degraded_ = true;
    } else {
      written_ += events;
      batches_written_ += work.size();
      if (degraded_.exchange(false)) outcomes.push_back({true, {}});
      const WallTime now = work.back().now;
      if (now - last_maintenance_ >= options_.maintenance_interval || now < last_maintenance_) {
        last_maintenance_ = now;
        if (auto m = store_.maintain(options_, now); !m) {
          ++errors_;
          outcomes.push_back({false, "history maintenance: " + m.error().message});
        }
      }
    }
    {
      std::lock_guard lock(mutex_);
      for (Outcome& o : outcomes) outcomes_.push_back(std::move(o));
      busy_ = false;
    }
    idle_.notify_all();
  }
}

}  // namespace wgtrack
