#include "sinks/json/json_values.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "events/event_json.h"

namespace wgtrack {
namespace {

using namespace std::chrono_literals;

std::string rfc3339(WallTime t) {
  std::string s;
  append_rfc3339_utc(s, t);
  return s;
}

std::string fixed(std::int64_t v, int decimals) {
  std::string s;
  append_fixed(s, v, decimals);
  return s;
}

std::string decimal3(double v) {
  std::string s;
  append_decimal3(s, v);
  return s;
}

TEST(JsonValuesTest, Rfc3339KnownInstants) {
  EXPECT_EQ(rfc3339(WallTime(0s)), "\"1970-01-01T00:00:00.000Z\"");
  EXPECT_EQ(rfc3339(WallTime(1763771123s + 45ms + 999us)), "\"2025-11-22T00:25:23.045Z\"");
  EXPECT_EQ(rfc3339(WallTime(951782400s)), "\"2000-02-29T00:00:00.000Z\"");  // leap day 2000
  EXPECT_EQ(rfc3339(WallTime(-1ms)), "\"1969-12-31T23:59:59.999Z\"");  // floors, never rounds up
}

// The fast writer agrees with the gmtime-based reference of the event JSON, across leap years,
// century rules, month ends and instants before 1970.
TEST(JsonValuesTest, Rfc3339MatchesTheReferenceFormatter) {
  std::int64_t checked = 0;
  for (std::int64_t s = -2'208'988'800; s < 9'000'000'000; s += 86'400 * 7 + 3'607) {
    for (auto extra : {0ms, 1ms, 999ms}) {
      const WallTime t(std::chrono::seconds(s) + extra);
      ASSERT_EQ(rfc3339(t), "\"" + format_rfc3339_utc(t) + "\"") << s;
      ++checked;
    }
  }
  EXPECT_GT(checked, 50'000);
}

TEST(JsonValuesTest, FixedPointTrimsZerosAndKeepsSign) {
  EXPECT_EQ(fixed(1'500'000, 6), "1.5");
  EXPECT_EQ(fixed(25'000'000, 6), "25");
  EXPECT_EQ(fixed(1'234'567, 6), "1.234567");
  EXPECT_EQ(fixed(7, 6), "0.000007");
  EXPECT_EQ(fixed(0, 3), "0");
  EXPECT_EQ(fixed(-5, 3), "-0.005");
  EXPECT_EQ(fixed(-1500, 3), "-1.5");
  EXPECT_EQ(fixed(42, 0), "42");
  EXPECT_EQ(fixed(std::numeric_limits<std::int64_t>::min(), 9), "-9223372036.854775808");
}

TEST(JsonValuesTest, Decimal3RoundsAndRejectsNonFinite) {
  EXPECT_EQ(decimal3(500.0), "500");
  EXPECT_EQ(decimal3(1.0 / 3.0), "0.333");
  EXPECT_EQ(decimal3(2.0 / 3.0), "0.667");
  EXPECT_EQ(decimal3(std::nan("")), "null");
  EXPECT_EQ(decimal3(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(decimal3(1e300), "null");
}

TEST(JsonValuesTest, UnixSecondsFloors) {
  EXPECT_EQ(unix_seconds(WallTime(1763771123s + 999ms)), 1763771123);
  EXPECT_EQ(unix_seconds(WallTime(-1ms)), -1);
}

}  // namespace
}  // namespace wgtrack
