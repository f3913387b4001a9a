#include "daemon/document_cache.h"

#include <libdeflate.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>
#include <utility>
#include <vector>

namespace wgtrack {

std::string gzip_compress(std::string_view data, libdeflate_compressor*& compressor) {
  if (!compressor) {
    compressor = libdeflate_alloc_compressor(1);
    if (!compressor) throw std::bad_alloc();
  }
  const std::size_t bound = libdeflate_gzip_compress_bound(compressor, data.size());
  // Uninitialised scratch: only the bytes written are touched (a zero-filled std::string of
  // the bound would fault in the whole uncompressed size).
  std::unique_ptr<char, decltype(&std::free)> scratch(static_cast<char*>(std::malloc(bound)),
                                                      &std::free);
  if (!scratch) throw std::bad_alloc();
  const std::size_t n =
      libdeflate_gzip_compress(compressor, data.data(), data.size(), scratch.get(), bound);
  if (n == 0) throw std::bad_alloc();  // cannot happen with the bound's room
  return std::string(scratch.get(), n);
}

namespace {

// A job's phase, shared by the loop and the worker: a queued job of a snapshot that a newer one
// replaced is cancelled before it starts, so a worker slower than the cycle (100,000 peers,
// 1 s cycles, scraped every cycle) never builds a backlog of outdated jobs.
enum JobPhase : int { kQueued, kStarted, kCancelled };

struct Entry {
  std::shared_ptr<const Snapshot> snapshot;
  std::shared_ptr<std::string> text;  // null until rendered
  std::shared_ptr<std::string> gz;    // null until compressed
  bool job_running = false;
  std::atomic<int> job_phase{kQueued};
  std::vector<DocumentCache::Done> text_waiters, gz_waiters;
};

}  // namespace

struct DocumentCache::State : std::enable_shared_from_this<DocumentCache::State> {
  Render render;
  const Clock* clock = nullptr;
  Executor off_loop, to_loop;
  std::shared_ptr<Entry> current;
  std::optional<std::chrono::nanoseconds> last_render;
  Stats stats;
  std::atomic<std::uint64_t> jobs_skipped{0};  // counted on the worker
  libdeflate_compressor* compressor = nullptr;  // used by jobs only (one at a time)

  ~State() { libdeflate_free_compressor(compressor); }

  void run_off_loop(std::function<void()> job) {
    if (off_loop) {
      off_loop(std::move(job));
    } else {
      job();
    }
  }
  void run_on_loop(std::function<void()> f) {
    if (to_loop) {
      to_loop(std::move(f));
    } else {
      f();
    }
  }

  // On the loop: one job for `e` renders what is missing and compresses if anyone wants gzip.
  void start_job(const std::shared_ptr<Entry>& e, std::shared_ptr<std::string> spare) {
    e->job_running = true;
    e->job_phase.store(kQueued);
    const bool want_gz = !e->gz_waiters.empty();
    std::shared_ptr<std::string> text = e->text;
    auto self = shared_from_this();
    run_off_loop([self, e, text, want_gz, previous = last_render,
                  spare = std::move(spare)]() mutable {
      int queued = kQueued;
      if (!e->job_phase.compare_exchange_strong(queued, kStarted)) {
        ++self->jobs_skipped;  // replaced by a newer snapshot's job, which serves its waiters
        return;
      }
      std::optional<std::chrono::nanoseconds> took;
      std::shared_ptr<std::string> gz;
      bool reused = false;
      // An exception (out of memory, a bug in a formatter) must not end the worker thread:
      // the waiters get what exists — the text without compression, or no body at all.
      try {
        if (!text) {
          const MonoTime t0 = self->clock->mono_now();
          reused = spare != nullptr;
          auto fresh = reused ? std::move(spare) : std::make_shared<std::string>();
          fresh->clear();
          self->render(*e->snapshot, previous, *fresh);
          took = self->clock->mono_now() - t0;
          text = std::move(fresh);
        }
        if (want_gz) gz = std::make_shared<std::string>(gzip_compress(*text, self->compressor));
      } catch (...) {
      }
      self->run_on_loop([self, e, text, gz, took, reused, want_gz] {
        self->finish(e, text, gz, took, reused, want_gz);
      });
    });
  }

  // On the loop: hands the results to the waiters; starts the compression if gzip was asked
  // for while a render-only job ran.
  void finish(const std::shared_ptr<Entry>& e, std::shared_ptr<std::string> text,
              std::shared_ptr<std::string> gz, std::optional<std::chrono::nanoseconds> took,
              bool reused, bool tried_gz) {
    if (took) {
      last_render = took;
      ++stats.renders;
      if (reused) ++stats.buffers_reused;
    }
    if (gz) ++stats.compressions;
    e->text = std::move(text);
    if (gz) e->gz = std::move(gz);
    e->job_running = false;
    auto text_waiters = std::move(e->text_waiters);
    e->text_waiters.clear();
    for (auto& w : text_waiters) w(e->text, false);
    if (e->gz || tried_gz || !e->text) {
      // A compression that failed leaves them the identity body; a failed render, nothing.
      auto gz_waiters = std::move(e->gz_waiters);
      e->gz_waiters.clear();
      for (auto& w : gz_waiters) w(e->gz ? e->gz : e->text, e->gz != nullptr);
    } else if (!e->gz_waiters.empty()) {
      start_job(e, nullptr);
    }
  }
};

DocumentCache::DocumentCache(Render render, const Clock& clock, Executor off_loop,
                             Executor to_loop)
    : state_(std::make_shared<State>()) {
  state_->render = std::move(render);
  state_->clock = &clock;
  state_->off_loop = std::move(off_loop);
  state_->to_loop = std::move(to_loop);
}

DocumentCache::~DocumentCache() = default;

void DocumentCache::get(std::shared_ptr<const Snapshot> snapshot, bool gzip,
                       Done done) {
  State& st = *state_;
  std::shared_ptr<std::string> spare;
  if (!st.current || st.current->snapshot != snapshot) {
    auto next = std::make_shared<Entry>();
    next->snapshot = std::move(snapshot);
    if (const std::shared_ptr<Entry>& old = st.current) {
      int queued = kQueued;
      if (old->job_running && old->job_phase.compare_exchange_strong(queued, kCancelled)) {
        // Its job has not started yet: this snapshot's job serves those waiters too (newer
        // data than they asked for, sooner than the old job would have).
        next->text_waiters = std::move(old->text_waiters);
        next->gz_waiters = std::move(old->gz_waiters);
        old->job_running = false;
      }
      // The previous text buffer is reused when nothing holds it any more (no reply in
      // flight, no compression pending): rendering into warm pages instead of faulting in
      // fresh ones is a quarter of the render time at 100,000 peers
      // (BM_PrometheusNativeFreshBuffer).
      if (old->text && old->text.use_count() == 1 && !old->job_running) {
        spare = std::move(old->text);
      }
    }
    st.current = std::move(next);
  }
  std::shared_ptr<Entry> e = st.current;
  if (const auto& ready = gzip ? e->gz : e->text) {
    done(ready, gzip);
    return;
  }
  (gzip ? e->gz_waiters : e->text_waiters).push_back(std::move(done));
  if (!e->job_running) st.start_job(e, std::move(spare));
}

DocumentCache::Stats DocumentCache::stats() const {
  Stats s = state_->stats;
  s.jobs_skipped = state_->jobs_skipped.load();
  return s;
}

}  // namespace wgtrack
