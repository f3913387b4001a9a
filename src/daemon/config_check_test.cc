#include "daemon/config_check.h"

#include <gtest/gtest.h>

namespace wgtrack {
namespace {

ConfigCheck check(const std::string& text) {
  return validate_config(config::parse_config(text, "w.conf"));
}

TEST(ConfigCheck, AValidConfigurationIsUsableWithoutErrors) {
  const ConfigCheck c = check("[general]\ncycle_time = 5\n[http]\nlisten = 127.0.0.1:9586\n");
  EXPECT_TRUE(c.usable);
  EXPECT_EQ(c.errors, 0u) << config::format_diagnostics(c.diagnostics);
}

TEST(ConfigCheck, ABadPeerSectionIsSkippedTheRestRuns) {
  const ConfigCheck c = check("[general]\ncycle_time = 5\n[peer:office]\nping_interval = often\n");
  EXPECT_TRUE(c.usable);
  EXPECT_EQ(c.errors, 1u);
}

TEST(ConfigCheck, HttpHistoryAndOutputErrorsAreFatalEverywhere) {
  // Before, a reload validated only the outputs: a broken [http] was taken on SIGHUP and then
  // refused the next start.
  for (const char* text : {"[http]\nlisten = localhost:9586\n",
                           "[history]\nretention_hours = 10s\n", "[output:f]\ntype = file\n",
                           "[general]\ncycle_time = soon\n"}) {
    const ConfigCheck c = check(text);
    EXPECT_FALSE(c.usable) << text;
    EXPECT_GE(c.errors, 1u) << text;
    ASSERT_FALSE(c.diagnostics.empty()) << text;
    EXPECT_EQ(c.diagnostics.back().file, "w.conf") << text;
  }
}

}  // namespace
}  // namespace wgtrack
