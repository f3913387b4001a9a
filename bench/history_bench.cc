// History: the cost of history on the daemon's loop thread per cycle, and the
// writer thread's cost per minute, at 10,000 peers.
//  - BM_HistoryRecordCycle: HistorySink::record_counters + flush per 1 s cycle, i.e. the loop
//    thread's share: the snapshot's shared_ptr goes to the writer thread, which takes the
//    sample (CounterBook) and writes a minute's rows every 60 cycles. The writer is waited for,
//    untimed, after each cycle (a cycle gives it far more time than it needs).
//  - BM_HistoryCounterBookObserve: the pure sample alone (CounterBook::observe).
//  - BM_HistoryWriteMinute: HistoryStore::write of one minute of 10,000 peers (one transaction:
//    minute upsert, hour upsert and totals per peer) — the writer thread's work per minute.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "sinks/history/history_sink.h"
#include "synthetic_snapshot.h"

namespace {

using namespace wgtrack;

std::string temp_db(const char* name) {
  const auto path = std::filesystem::temp_directory_path() / name;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path.string() + suffix);
  }
  return path.string();
}

void BM_HistoryRecordCycle(benchmark::State& state) {
  Snapshot snapshot = bench::synthetic_snapshot(static_cast<std::size_t>(state.range(0)));
  std::shared_ptr<const Snapshot> shared;
  HistoryOptions options;
  options.path = temp_db("wgtrack-history-bench.db");
  auto sink = HistorySink::create(options, snapshot.taken_at, {});
  if (!sink) {
    state.SkipWithError(sink.error().message.c_str());
    return;
  }
  std::uint64_t cycle = 0;
  for (auto _ : state) {
    state.PauseTiming();
    ++cycle;
    snapshot.taken_at += std::chrono::seconds(1);
    for (auto& iface : snapshot.interfaces) {
      for (auto& p : iface.peers) {
        p.rx_bytes += 1000;
        p.tx_bytes += 100;
      }
    }
    (*sink)->wait_idle();
    shared = std::make_shared<const Snapshot>(snapshot);  // the daemon builds it in place
    state.ResumeTiming();
    (*sink)->record_counters(std::move(shared));
    (*sink)->flush();
  }
  (*sink)->wait_idle();
  state.counters["skipped"] = static_cast<double>((*sink)->samples_skipped());
  state.counters["batches"] = static_cast<double>((*sink)->batches_written());
  state.counters["dropped"] = static_cast<double>((*sink)->stats().events_dropped);
}
BENCHMARK(BM_HistoryRecordCycle)->Arg(10'000)->Unit(benchmark::kMicrosecond)->Iterations(600);

// The pure part alone: one sample of every peer (no minute boundary crossed while timed).
void BM_HistoryCounterBookObserve(benchmark::State& state) {
  Snapshot snapshot = bench::synthetic_snapshot(static_cast<std::size_t>(state.range(0)));
  CounterBook book;
  CounterOutput out;
  book.observe(snapshot, out);
  for (auto _ : state) {
    out.rows.clear();
    book.observe(snapshot, out);
    benchmark::DoNotOptimize(out.rows.data());
  }
  state.counters["ns_per_peer"] = benchmark::Counter(
      static_cast<double>(state.range(0)),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_HistoryCounterBookObserve)->Arg(10'000)->Unit(benchmark::kMicrosecond);

void BM_HistoryWriteMinute(benchmark::State& state) {
  const auto peers = static_cast<std::uint32_t>(state.range(0));
  auto store = HistoryStore::open(temp_db("wgtrack-history-bench-w.db"));
  if (!store) {
    state.SkipWithError(store.error().message.c_str());
    return;
  }
  HistoryBatch announce;
  for (std::uint32_t p = 0; p < peers; ++p) {
    announce.counters.peers.push_back(
        {.slot = p, .interface = "wg0", .key = "key-" + std::to_string(p), .name = ""});
  }
  (void)store->write({announce});
  std::int64_t minute = 1763769600;
  for (auto _ : state) {
    state.PauseTiming();
    HistoryBatch batch;
    batch.counters.rows.reserve(peers);
    minute += 60;
    for (std::uint32_t p = 0; p < peers; ++p) {
      batch.counters.rows.push_back({.slot = p,
                                     .start = minute,
                                     .rx = 60'000u + p,
                                     .tx = 6000,
                                     .rx_total = 1'000'000u + p,
                                     .tx_total = 100'000,
                                     .rx_last = 1'000'000u + p,
                                     .tx_last = 100'000});
    }
    std::vector<HistoryBatch> batches;
    batches.push_back(std::move(batch));
    state.ResumeTiming();
    if (auto r = store->write(batches); !r) state.SkipWithError(r.error().message.c_str());
  }
}
BENCHMARK(BM_HistoryWriteMinute)->Arg(10'000)->Unit(benchmark::kMillisecond)->Iterations(30);

}  // namespace
