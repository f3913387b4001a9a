// Documents rendered from a snapshot (the /metrics text, the /api/v1/status JSON): rendered
// once per snapshot and, for clients that accept it (Prometheus always sends
// `Accept-Encoding: gzip`, browsers too), gzip-compressed once per snapshot — both off the loop.
//
// Why off the loop: at 100,000 peers the metrics text is ~230 MB and takes ~0.2 s to render and
// ~1 s to compress; on the loop that would delay the cycle and skew every probe RTT measured
// meanwhile. Why gzip: at 10,000 peers the text is ~17 MB and sending it over loopback costs
// ~6 ms of kernel copying per scrape; compressed it is ~4.6x smaller (and so is the traffic to
// a remote Prometheus or browser).
//
// Threading: get() and every callback run on the loop; a job (render, compress) runs on the
// worker, reading only the immutable Snapshot, its own buffers, the Render function's
// immutable captures and the clock (SystemClock is thread-safe), and hands its result back
// through to_loop. Jobs run one at a time when the worker is a single thread (the daemon's is).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/clock.h"
#include "snapshot/snapshot.h"

struct libdeflate_compressor;

namespace wgtrack {

class DocumentCache {
 public:
  using Executor = std::function<void(std::function<void()>)>;
  // Renders the document of a snapshot into `out` (empty, maybe with capacity from an earlier
  // render). Runs on the worker: it may read only the snapshot and what it owns.
  // `previous_render`: how long the previous render took (nullopt before the first), for
  // documents that report it (wgtrack_scrape_duration_seconds).
  using Render = std::function<void(const Snapshot& snapshot,
                                    std::optional<std::chrono::nanoseconds> previous_render,
                                    std::string& out)>;
  using Body = std::shared_ptr<const std::string>;
  // The body and whether it is gzip-encoded (not when the compression failed: the text is
  // sent as it is). A null body: the render failed (threw); the next request tries again.
  using Done = std::function<void(Body body, bool gzip)>;

  // off_loop: runs a job on the worker thread (in order, one at a time); to_loop: runs a
  // callback on the loop. An empty executor runs the job at once (unit tests, the fuzzer).
  DocumentCache(Render render, const Clock& clock, Executor off_loop = {}, Executor to_loop = {});
  ~DocumentCache();
  DocumentCache(const DocumentCache&) = delete;
  DocumentCache& operator=(const DocumentCache&) = delete;

  // Calls done (on the loop, maybe before returning) with the body for `snapshot`: the
  // document, or its gzip encoding when `gzip`. Requests for the same snapshot share one
  // render and one compression, whichever comes first.
  void get(std::shared_ptr<const Snapshot> snapshot, bool gzip, Done done);

  struct Stats {
    std::uint64_t renders = 0;
    std::uint64_t compressions = 0;
    std::uint64_t buffers_reused = 0;  // renders into the previous snapshot's text buffer
    std::uint64_t jobs_skipped = 0;    // queued jobs a newer snapshot made pointless
  };
  Stats stats() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

// gzip (RFC 1952) of `data` at libdeflate's fastest level; `compressor` is reused between calls
// (allocated on first use, one thread at a time).
std::string gzip_compress(std::string_view data, libdeflate_compressor*& compressor);

}  // namespace wgtrack
