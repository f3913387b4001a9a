#include "cli/history_commands.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "sinks/history/history_store.h"
#include "sinks/history/history_test_util.h"

namespace wgtrack {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using testing::status_event;
using testing::TempDir;

const WallTime kT0 = WallTime(1763769600s);  // 2025-11-22T00:00:00Z

struct HistoryCommandsTest : ::testing::Test {
  TempDir dir;
  std::string db = dir.file("history.db");
  std::ostringstream out, err;

  // A daemon run from kT0 with the peer "office" going down for 5 minutes at +10 min, and a
  // second peer that only ever was "never".
  void fill() {
    auto store = HistoryStore::open(db);
    ASSERT_TRUE(store.ok()) << store.error().message;
    ASSERT_TRUE(store->begin_run(kT0).ok());
    HistoryBatch b;
    b.events.push_back(status_event(EventType::kInitialStatus, kT0, 1, "office", "", "up"));
    b.events.push_back(status_event(EventType::kInitialStatus, kT0, 2, "", "", "never"));
    b.events.push_back(status_event(EventType::kStatusChange, kT0 + 10min, 1, "office", "up",
                                    "down", "2 probes failed"));
    Event back = status_event(EventType::kStatusChange, kT0 + 15min, 1, "office", "down", "up",
                              "handshake completed");
    back.endpoint = *Endpoint::parse("192.0.2.1:51820");
    b.events.push_back(back);
    b.now = kT0 + 60min;
    ASSERT_TRUE(store->write({b}).ok());
  }
};

TEST_F(HistoryCommandsTest, EventsAsATable) {
  fill();
  EXPECT_EQ(run_events({.db = db, .since = "1h"}, kT0 + 30min, out, err), 0) << err.str();
  const std::string text = out.str();
  EXPECT_THAT(text, HasSubstr("TIME"));
  EXPECT_THAT(text, HasSubstr("2025-11-22T00:10:00.000Z"));
  EXPECT_THAT(text, HasSubstr("office ("));
  EXPECT_THAT(text, HasSubstr("up -> down"));
  EXPECT_THAT(text, HasSubstr("2 probes failed"));
  EXPECT_THAT(text, HasSubstr("handshake completed; endpoint 192.0.2.1:51820"));
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 5);  // header + 4 events
}

TEST_F(HistoryCommandsTest, EventsFilteredAsJsonLines) {
  fill();
  EXPECT_EQ(
      run_events({.db = db, .since = "20m", .peer = "office", .json = true}, kT0 + 30min, out, err),
      0);
  std::istringstream lines(out.str());
  std::vector<std::string> got;
  for (std::string l; std::getline(lines, l);) got.push_back(l);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_THAT(got[0], HasSubstr("\"event\":\"status_change\""));
  EXPECT_THAT(got[0], HasSubstr("\"status\":\"down\""));
  EXPECT_THAT(got[1], HasSubstr("\"endpoint\":\"192.0.2.1:51820\""));
}

TEST_F(HistoryCommandsTest, UptimeTableShowsAvailabilityAndOutages) {
  fill();
  EXPECT_EQ(run_uptime({.db = db, .since = "1h"}, kT0 + 60min, out, err), 0) << err.str();
  const std::string text = out.str();
  EXPECT_THAT(text, HasSubstr("91.667 %"));  // 55 of 60 minutes
  EXPECT_THAT(text,
              HasSubstr("down 2025-11-22T00:10:00.000Z .. 2025-11-22T00:15:00.000Z, recovered "
                        "(5 minutes): 2 probes failed"));
  EXPECT_THAT(text, HasSubstr("never up"));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("not running")));
}

TEST_F(HistoryCommandsTest, UptimeJsonCountsDaemonDownTimeAsUnknown) {
  fill();
  // Two hours later, the daemon is not running since kT0 + 60 min.
  EXPECT_EQ(run_uptime({.db = db, .since = "2h", .json = true}, kT0 + 120min, out, err), 0);
  const std::string json = out.str();
  EXPECT_THAT(json,
              HasSubstr("\"availability\":0.916667,\"up_seconds\":3300,\"down_seconds\":300"));
  EXPECT_THAT(json, HasSubstr("\"unknown_seconds\":3600"));
  EXPECT_THAT(json, HasSubstr("\"ended\":\"recovered\""));
  EXPECT_THAT(json, HasSubstr("\"availability\":null"));  // the never-connected peer
}

TEST_F(HistoryCommandsTest, MissingOrDamagedDatabaseIsExitOne) {
  EXPECT_EQ(run_events({.db = db}, kT0, out, err), 1);
  EXPECT_THAT(err.str(), HasSubstr(db));
  {
    std::ofstream f(db, std::ios::binary);
    f << std::string(8192, 'z');
  }
  err.str("");
  EXPECT_EQ(run_uptime({.db = db}, kT0, out, err), 1);
  EXPECT_THAT(err.str(), HasSubstr("damaged"));
}

TEST_F(HistoryCommandsTest, BadSinceIsExitTwo) {
  EXPECT_EQ(run_events({.db = db, .since = "yesterday"}, kT0, out, err), 2);
  EXPECT_THAT(err.str(), HasSubstr("--since yesterday"));
}

}  // namespace
}  // namespace wgtrack
