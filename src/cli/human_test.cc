#include "cli/human.h"

#include <gtest/gtest.h>

namespace wgtrack {
namespace {

TEST(Human, Durations) {
  using std::chrono::seconds;
  EXPECT_EQ(format_duration(seconds(0)), "0 seconds");
  EXPECT_EQ(format_duration(seconds(1)), "1 second");
  EXPECT_EQ(format_duration(seconds(123)), "2 minutes, 3 seconds");
  EXPECT_EQ(format_duration(seconds(3600)), "1 hour");
  EXPECT_EQ(format_duration(seconds(90061)), "1 day, 1 hour, 1 minute, 1 second");
  EXPECT_EQ(format_duration(seconds(2 * 365 * 86400 + 5)), "2 years, 5 seconds");
}

TEST(Human, Bytes) {
  EXPECT_EQ(format_bytes(0), "0 B");
  EXPECT_EQ(format_bytes(1023), "1023 B");
  EXPECT_EQ(format_bytes(1024), "1.00 KiB");
  EXPECT_EQ(format_bytes(1536), "1.50 KiB");
  EXPECT_EQ(format_bytes(123456789012), "114.98 GiB");
  EXPECT_EQ(format_bytes(18446744073709551615ull), "16.00 EiB");
}

}  // namespace
}  // namespace wgtrack
