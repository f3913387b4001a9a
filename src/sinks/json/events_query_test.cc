#include "sinks/json/events_query.h"

#include <gtest/gtest.h>

namespace wgtrack {
namespace {

TEST(EventsQueryTest, DefaultsWhenEmpty) {
  auto q = parse_events_query("");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(*q, (EventsQuery{0, kMaxEventsLimit}));
}

TEST(EventsQueryTest, SinceAndLimitInAnyOrder) {
  EXPECT_EQ(*parse_events_query("since=12&limit=50"), (EventsQuery{12, 50}));
  EXPECT_EQ(*parse_events_query("limit=3&since=18446744073709551615"),
            (EventsQuery{18446744073709551615u, 3}));
  EXPECT_EQ(*parse_events_query("since=7"), (EventsQuery{7, kMaxEventsLimit}));
}

TEST(EventsQueryTest, UnknownParametersAndEmptyPartsAreIgnored) {
  EXPECT_EQ(*parse_events_query("_=1700000000&&since=5&flag&"), (EventsQuery{5, kMaxEventsLimit}));
}

TEST(EventsQueryTest, LargeLimitIsClamped) {
  EXPECT_EQ(parse_events_query("limit=99999999999999999")->limit, kMaxEventsLimit);
}

TEST(EventsQueryTest, MalformedValuesAreInvalidInput) {
  for (const char* bad :
       {"since=", "since", "since=-1", "since=+1", "since=1x", "since= 1", "since=%31",
        "since=18446744073709551616", "limit=0", "limit=", "since=1&since=2", "limit=1&limit=1"}) {
    auto q = parse_events_query(bad);
    ASSERT_FALSE(q.ok()) << bad;
    EXPECT_EQ(q.error().code, ErrorCode::kInvalidInput) << bad;
    EXPECT_FALSE(q.error().message.empty()) << bad;
  }
}

}  // namespace
}  // namespace wgtrack
