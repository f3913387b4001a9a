#include "http_client/retry_backoff.h"

#include <gtest/gtest.h>

namespace wgtrack {
namespace {

using std::chrono::milliseconds;

TEST(RetryBackoff, DoublesFromInitialUpToTheCap) {
  const RetryBackoff b{milliseconds(1000), milliseconds(8000)};
  EXPECT_EQ(b.delay(1, 1.0), milliseconds(1000));
  EXPECT_EQ(b.delay(2, 1.0), milliseconds(2000));
  EXPECT_EQ(b.delay(3, 1.0), milliseconds(4000));
  EXPECT_EQ(b.delay(4, 1.0), milliseconds(8000));
  EXPECT_EQ(b.delay(5, 1.0), milliseconds(8000));
  EXPECT_EQ(b.delay(4000000000u, 1.0), milliseconds(8000));
}

TEST(RetryBackoff, JitterSpansTheUpperHalf) {
  const RetryBackoff b{milliseconds(1000), milliseconds(60000)};
  EXPECT_EQ(b.delay(2, 0.0), milliseconds(1000));
  EXPECT_EQ(b.delay(2, 0.5), milliseconds(1500));
  EXPECT_EQ(b.delay(2, 1.0), milliseconds(2000));
  EXPECT_EQ(b.delay(2, -3.0), milliseconds(1000));  // out-of-range jitter is clamped
  EXPECT_EQ(b.delay(2, 7.0), milliseconds(2000));
}

}  // namespace
}  // namespace wgtrack
