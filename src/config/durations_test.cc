#include "config/durations.h"

#include <gtest/gtest.h>

namespace wgtrack::config {
namespace {

using namespace std::chrono_literals;

TEST(Durations, AcceptedForms) {
  EXPECT_EQ(*parse_duration("30"), 30s);
  EXPECT_EQ(*parse_duration("30s"), 30s);
  EXPECT_EQ(*parse_duration("500ms"), 500ms);
  EXPECT_EQ(*parse_duration("5m"), 5min);
  EXPECT_EQ(*parse_duration("1h"), 1h);
  EXPECT_EQ(*parse_duration("0.5"), 500ms);
  EXPECT_EQ(*parse_duration("0.1"), 100ms);
  EXPECT_EQ(*parse_duration("1.5h"), 90min);
  EXPECT_EQ(*parse_duration("2.25S"), 2250ms);
  EXPECT_EQ(*parse_duration("30 s"), 30s);
  EXPECT_EQ(*parse_duration("0"), 0ms);
  EXPECT_EQ(*parse_duration("0.0005"), 1ms);  // rounds to the nearest millisecond
  EXPECT_EQ(*parse_duration("0.123456789123s"), 123ms);
  EXPECT_EQ(*parse_duration("7d"), 168h);
  EXPECT_EQ(*parse_duration("1.5D"), 36h);
  EXPECT_EQ(*parse_duration("366d"), kMaxDuration);
}

TEST(Durations, Rejected) {
  for (const char* bad : {"", "s", "-1", "+1", "1e3", "1.", ".5", "5 min", "367d", "1,5", "abc",
                          "0.0001", "1s1", "99999999999999999", "9000h", " 5"}) {
    EXPECT_FALSE(parse_duration(bad).ok()) << bad;
  }
}

TEST(Durations, FormatRoundTrips) {
  for (Duration d : {Duration(0), Duration(500), Duration(1500), Duration(30000), Duration(300000),
                     Duration(3600000)}) {
    EXPECT_EQ(*parse_duration(format_duration(d)), d) << format_duration(d);
  }
  EXPECT_EQ(format_duration(135s), "135s");
  EXPECT_EQ(format_duration(5min), "5m");
}

TEST(Booleans, AllSpellings) {
  for (const char* t : {"true", "True", "YES", "on", "1"}) EXPECT_EQ(parse_bool(t), true) << t;
  for (const char* f : {"false", "No", "OFF", "0"}) EXPECT_EQ(parse_bool(f), false) << f;
  for (const char* x : {"", "y", "2", "enabled", "nope"}) EXPECT_FALSE(parse_bool(x)) << x;
}

TEST(Counts, Range) {
  EXPECT_EQ(*parse_count("0", 0, 10), 0u);
  EXPECT_EQ(*parse_count("10", 0, 10), 10u);
  EXPECT_FALSE(parse_count("11", 0, 10).ok());
  EXPECT_FALSE(parse_count("0", 1, 10).ok());
  EXPECT_FALSE(parse_count("-1", 0, 10).ok());
  EXPECT_FALSE(parse_count("2.0", 0, 10).ok());
  EXPECT_FALSE(parse_count("99999999999", 0, 10).ok());
}

}  // namespace
}  // namespace wgtrack::config
