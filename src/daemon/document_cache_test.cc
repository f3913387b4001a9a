// DocumentCache with its two executors as queues the test drains by hand, so the order of
// "on the worker" and "back on the loop" is explicit and nothing sleeps.
#include "daemon/document_cache.h"

#include <gtest/gtest.h>
#include <deque>
#include <stdexcept>

#include "sinks/prometheus/prometheus_format.h"
#include "support/fake_clock.h"
#include "support/gunzip.h"
#include "support/sample_snapshot.h"

namespace wgtrack {
namespace {

using namespace std::chrono_literals;

class DocumentCacheTest : public ::testing::Test {
 protected:
  // The /metrics document, as the daemon renders it.
  static void render_into(const Snapshot& s, std::optional<std::chrono::nanoseconds> previous,
                          std::string& out) {
    PrometheusOptions o;
    o.scrape_duration = previous;
    render_prometheus(s, o, out);
  }
  DocumentCache cache_{render_into, clock_,
                       [this](std::function<void()> j) { worker_.push_back(std::move(j)); },
                       [this](std::function<void()> j) { loop_.push_back(std::move(j)); }};

  struct Got {
    DocumentCache::Body body;
    bool gzip = false;
  };
  // Asks for a body; the returned slot fills when the cache answers.
  std::shared_ptr<std::optional<Got>> ask(const std::shared_ptr<const Snapshot>& s, bool gzip) {
    auto slot = std::make_shared<std::optional<Got>>();
    cache_.get(s, gzip, [slot](DocumentCache::Body b, bool gz) { *slot = Got{std::move(b), gz}; });
    return slot;
  }
  static bool drain(std::deque<std::function<void()>>& q) {
    if (q.empty()) return false;
    while (!q.empty()) {
      auto f = std::move(q.front());
      q.pop_front();
      f();
    }
    return true;
  }
  std::shared_ptr<const Snapshot> snapshot(std::chrono::seconds at) {
    Snapshot s = testing::sample_snapshot();
    s.taken_at += at;
    return std::make_shared<const Snapshot>(std::move(s));
  }
  // The text as the cache must serve it; `previous_render`: the scrape duration it reports.
  static std::string render(const Snapshot& s,
                            std::optional<std::chrono::nanoseconds> previous_render = {}) {
    std::string out;
    render_into(s, previous_render, out);
    return out;
  }

  testing::FakeClock clock_;
  std::deque<std::function<void()>> worker_, loop_;
};

TEST_F(DocumentCacheTest, ScrapesOfOneSnapshotShareOneRenderDoneOffTheLoop) {
  auto s = snapshot(0s);
  auto a = ask(s, false);
  auto b = ask(s, false);
  EXPECT_FALSE(a->has_value());  // nothing rendered on the caller's thread
  EXPECT_EQ(worker_.size(), 1u);  // one job for both
  EXPECT_TRUE(loop_.empty());
  drain(worker_);
  EXPECT_FALSE(a->has_value());  // results come back through the loop only
  drain(loop_);
  ASSERT_TRUE(a->has_value() && b->has_value());
  EXPECT_EQ((*a)->body.get(), (*b)->body.get());
  EXPECT_FALSE((*a)->gzip);
  EXPECT_TRUE(*(*a)->body == render(*s));  // no scrape duration before a first render
  auto c = ask(s, false);  // ready now: answered at once, no job
  ASSERT_TRUE(c->has_value());
  EXPECT_EQ((*c)->body.get(), (*a)->body.get());
  EXPECT_TRUE(worker_.empty());
  EXPECT_EQ(cache_.stats().renders, 1u);
}

TEST_F(DocumentCacheTest, GzipIsCompressedOnceAndDecodesToTheText) {
  auto s = snapshot(0s);
  auto plain = ask(s, false);
  drain(worker_);
  drain(loop_);
  ASSERT_TRUE(plain->has_value());
  auto g1 = ask(s, true);
  auto g2 = ask(s, true);
  EXPECT_EQ(worker_.size(), 1u);
  while (drain(worker_) || drain(loop_)) {
  }
  ASSERT_TRUE(g1->has_value() && g2->has_value());
  EXPECT_TRUE((*g1)->gzip);
  EXPECT_EQ((*g1)->body.get(), (*g2)->body.get());
  EXPECT_TRUE(testing::gunzip(*(*g1)->body) == *(*plain)->body);
  const auto st = cache_.stats();
  EXPECT_EQ(st.renders, 1u);  // the compression reused the text
  EXPECT_EQ(st.compressions, 1u);
}

TEST_F(DocumentCacheTest, GzipAskedWhileARenderRunsGetsItsOwnCompressionAfterIt) {
  auto s = snapshot(0s);
  auto plain = ask(s, false);
  auto gz = ask(s, true);  // the render-only job is already queued
  while (drain(worker_) || drain(loop_)) {
  }
  ASSERT_TRUE(plain->has_value() && gz->has_value());
  EXPECT_FALSE((*plain)->gzip);
  EXPECT_TRUE((*gz)->gzip);
  EXPECT_TRUE(testing::gunzip(*(*gz)->body) == *(*plain)->body);
  EXPECT_EQ(cache_.stats().renders, 1u);
  EXPECT_EQ(cache_.stats().compressions, 1u);
}

TEST_F(DocumentCacheTest, AQueuedJobOfAReplacedSnapshotIsSkippedItsWaitersGetTheNewerOne) {
  auto s1 = snapshot(0s);
  auto s2 = snapshot(1s);
  auto old_plain = ask(s1, false);
  auto old_gz = ask(s1, true);
  auto new_waiter = ask(s2, false);  // a new cycle before the first job ran
  EXPECT_EQ(worker_.size(), 2u);
  while (drain(worker_) || drain(loop_)) {
  }
  ASSERT_TRUE(old_plain->has_value() && old_gz->has_value() && new_waiter->has_value());
  EXPECT_EQ((*old_plain)->body.get(), (*new_waiter)->body.get());
  EXPECT_TRUE(*(*new_waiter)->body == render(*s2));
  EXPECT_TRUE((*old_gz)->gzip);
  EXPECT_TRUE(testing::gunzip(*(*old_gz)->body) == render(*s2));
  const auto st = cache_.stats();
  EXPECT_EQ(st.renders, 1u);  // s1 was never rendered
  EXPECT_EQ(st.jobs_skipped, 1u);
  EXPECT_EQ(st.compressions, 1u);
}

TEST_F(DocumentCacheTest, AStartedJobIsNotCancelledAndEachSnapshotKeepsItsText) {
  auto s1 = snapshot(0s);
  auto s2 = snapshot(1s);
  auto old_waiter = ask(s1, false);
  ASSERT_EQ(worker_.size(), 1u);
  auto job = std::move(worker_.front());
  worker_.pop_front();
  job();  // s1's render ran on the worker; its result is on the way to the loop
  auto new_waiter = ask(s2, false);
  while (drain(worker_) || drain(loop_)) {
  }
  ASSERT_TRUE(old_waiter->has_value() && new_waiter->has_value());
  EXPECT_TRUE(*(*old_waiter)->body == render(*s1));
  // s2's job was queued before s1's render time reached the loop: no scrape duration yet.
  EXPECT_TRUE(*(*new_waiter)->body == render(*s2));
  EXPECT_EQ(cache_.stats().jobs_skipped, 0u);
  EXPECT_EQ(cache_.stats().renders, 2u);
}

TEST_F(DocumentCacheTest, AFreeBufferIsReusedAndABufferInFlightIsNot) {
  auto s2 = snapshot(1s);
  auto new_waiter = ask(s2, false);
  while (drain(worker_) || drain(loop_)) {
  }
  ASSERT_TRUE(new_waiter->has_value());

  // Nobody holds s2's text any more: s3 renders into that buffer instead of a fresh one.
  const std::string* buffer = (*new_waiter)->body.get();
  new_waiter->reset();
  auto s3 = snapshot(2s);
  auto third = ask(s3, false);
  while (drain(worker_) || drain(loop_)) {
  }
  ASSERT_TRUE(third->has_value());
  EXPECT_EQ((*third)->body.get(), buffer);
  EXPECT_TRUE(*(*third)->body == render(*s3, std::chrono::nanoseconds(0)));  // fake clock: 0 s
  EXPECT_EQ(cache_.stats().buffers_reused, 1u);

  // A body still being sent (held by a reply) is never overwritten.
  auto s4 = snapshot(3s);
  auto fourth = ask(s4, false);
  while (drain(worker_) || drain(loop_)) {
  }
  ASSERT_TRUE(fourth->has_value());
  EXPECT_NE((*fourth)->body.get(), (*third)->body.get());
  EXPECT_EQ(cache_.stats().buffers_reused, 1u);
}

TEST_F(DocumentCacheTest, ScrapeDurationIsThePreviousRender) {
  DocumentCache inline_cache(render_into, clock_);  // no executors: runs at once
  std::optional<DocumentCache::Body> first, second;
  inline_cache.get(snapshot(0s), false, [&](DocumentCache::Body b, bool) { first = b; });
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ((*first)->find("wgtrack_scrape_duration_seconds"), std::string::npos);
  inline_cache.get(snapshot(1s), false, [&](DocumentCache::Body b, bool) { second = b; });
  ASSERT_TRUE(second.has_value());
  // The fake clock does not move during a render: the previous one took 0 s.
  EXPECT_NE((*second)->find("\nwgtrack_scrape_duration_seconds 0\n"), std::string::npos);
}

TEST_F(DocumentCacheTest, AFailedRenderAnswersNoBodyAndTheNextRequestTriesAgain) {
  int calls = 0;
  DocumentCache flaky(
      [&](const Snapshot&, std::optional<std::chrono::nanoseconds>, std::string& out) {
        if (++calls == 1) throw std::runtime_error("formatter bug");
        out = "second try\n";
      },
      clock_);
  auto s = snapshot(0s);
  std::optional<std::pair<DocumentCache::Body, bool>> first, gz, second;
  flaky.get(s, false, [&](DocumentCache::Body b, bool g) { first.emplace(b, g); });
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->first, nullptr);  // the worker survived; the handler answers 500
  flaky.get(s, true, [&](DocumentCache::Body b, bool g) { gz.emplace(b, g); });
  ASSERT_TRUE(gz.has_value() && gz->first);
  EXPECT_TRUE(gz->second);
  EXPECT_EQ(testing::gunzip(*gz->first), "second try\n");
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(flaky.stats().renders, 1u);
}

TEST(GzipCompress, RoundTripsEmptyAndLargeInput) {
  libdeflate_compressor* c = nullptr;
  std::string big;
  for (int i = 0; i < 200000; ++i) big += "wgtrack_peer_up{interface=\"wg0\"} " + std::to_string(i % 2) + "\n";
  EXPECT_TRUE(testing::gunzip(gzip_compress(big, c)) == big);
  EXPECT_EQ(testing::gunzip(gzip_compress("", c)), "");
  EXPECT_LT(gzip_compress(big, c).size(), big.size() / 10);
  libdeflate_free_compressor(c);
}

}  // namespace
}  // namespace wgtrack
