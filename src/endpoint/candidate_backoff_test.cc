#include "endpoint/candidate_backoff.h"

#include <gtest/gtest.h>

#include "endpoint/endpoint_test_util.h"

namespace wgtrack::endpoint {
namespace {

using namespace test;

TEST(CandidateBackoff, DoublesFrom30SecondsTo15Minutes) {
  CandidateBackoff b;
  const Endpoint e = ep("192.0.2.1:51820");
  MonoTime t{std::chrono::hours(5)};
  std::vector<Duration> got;
  for (int i = 0; i < 8; ++i) got.push_back(b.fail(e, t));
  EXPECT_EQ(got, (std::vector<Duration>{30s, 60s, 120s, 240s, 480s, 900s, 900s, 900s}));
  EXPECT_EQ(b.failures(e), 8);
  EXPECT_TRUE(b.blocked(e, t + 899s));
  EXPECT_FALSE(b.blocked(e, t + 900s));
  b.succeed(e);
  EXPECT_EQ(b.failures(e), 0);
  EXPECT_FALSE(b.until(e));
  EXPECT_EQ(b.fail(e, t), Duration(30s));  // history cleared
}

TEST(CandidateBackoff, EarliestExpiryAndPrune) {
  CandidateBackoff b(BackoffPolicy{10s, 40s});
  const MonoTime t{std::chrono::hours(5)};
  b.fail(ep("192.0.2.1:1"), t);
  b.fail(ep("192.0.2.2:1"), t + 3s);
  EXPECT_EQ(b.earliest_expiry(t), t + 10s);
  EXPECT_EQ(b.earliest_expiry(t + 10s), t + 13s);
  EXPECT_FALSE(b.earliest_expiry(t + 13s));
  EXPECT_FALSE(b.blocked(ep("192.0.2.3:1"), t));
  b.prune(t + 51s);  // entry 1 ended at t+10 s, more than max (40 s) ago
  EXPECT_EQ(b.failures(ep("192.0.2.1:1")), 0);
  EXPECT_EQ(b.failures(ep("192.0.2.2:1")), 1);
}

}  // namespace
}  // namespace wgtrack::endpoint
