#include "cli/show_format.h"

#include <gtest/gtest.h>

#include "support/golden.h"
#include "support/sample_devices.h"

namespace wgtrack {
namespace {

using testing::expect_golden;
using testing::sample_devices;
using testing::sample_now;

TEST(ShowFormat, TextGolden) {
  expect_golden("tests/fixtures/show/show.txt", format_show_text(sample_devices(), sample_now()));
}

TEST(ShowFormat, JsonGolden) {
  std::string s;
  append_show_json(s, sample_devices());
  expect_golden("tests/fixtures/show/show.json", s);
}

TEST(ShowFormat, TextOrdersPeersByHandshakeLikeWg) {
  const std::string t = format_show_text(sample_devices(), sample_now());
  const auto p1 = t.find("rtgrUqCx");  // 123 s ago
  const auto p3 = t.find("MHtodLMC");  // 1 day ago
  const auto p2 = t.find("hJpMO8Qq");  // never
  EXPECT_LT(p1, p3);
  EXPECT_LT(p3, p2);
}

TEST(ShowFormat, ClockBackwardsIsSaidNotNegative) {
  auto devs = sample_devices();
  const std::string t = format_show_text(devs, WallTime(std::chrono::seconds(1763770000)));
  EXPECT_NE(t.find("in the future (clock went backwards by 16 minutes, 40 seconds)"),
            std::string::npos);
}

TEST(ShowFormat, JsonEscapesHostileInterfaceNames) {
  Device d;
  d.name = "wg\"0\n";
  std::string s;
  append_show_json(s, {d});
  EXPECT_NE(s.find("\"wg\\\"0\\n\""), std::string::npos);
}

TEST(ShowFormat, EmptyList) {
  std::string s;
  append_show_json(s, {});
  EXPECT_EQ(s, "{\"interfaces\":[]}\n");
  EXPECT_EQ(format_show_text({}, sample_now()), "");
}

}  // namespace
}  // namespace wgtrack
