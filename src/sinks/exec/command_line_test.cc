#include "sinks/exec/command_line.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wgtrack {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> split(std::string_view text) {
  auto r = split_command_line(text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : std::vector<std::string>{};
}

std::string error_of(std::string_view text) {
  auto r = split_command_line(text);
  return r.ok() ? "<ok>" : r.error().message;
}

TEST(SplitCommandLine, WordsAndQuotes) {
  EXPECT_THAT(split("/usr/local/bin/on-change --flag \"quoted arg\""),
              ElementsAre("/usr/local/bin/on-change", "--flag", "quoted arg"));
  EXPECT_THAT(split("  /bin/x\ta   b  "), ElementsAre("/bin/x", "a", "b"));
  EXPECT_THAT(split("/bin/x 'single $HOME \\n' \"dq \\\" \\\\ \\n\""),
              ElementsAre("/bin/x", "single $HOME \\n", "dq \" \\ \\n"));
  EXPECT_THAT(split("/bin/x --name=\"a b\"'c d'e"), ElementsAre("/bin/x", "--name=a bc de"));
  EXPECT_THAT(split("/bin/x \"\" ''"), ElementsAre("/bin/x", "", ""));
  EXPECT_THAT(split("/bin/x a\\ b \\'c"), ElementsAre("/bin/x", "a b", "'c"));
}

TEST(SplitCommandLine, NoShellSyntax) {
  EXPECT_THAT(split("/bin/x $PEER; rm -rf / | cat > f & `id` ~ *"),
              ElementsAre("/bin/x", "$PEER;", "rm", "-rf", "/", "|", "cat", ">", "f", "&", "`id`",
                          "~", "*"));
}

TEST(SplitCommandLine, Errors) {
  EXPECT_EQ(error_of("/bin/x \"open"), "unbalanced \" quote at column 8");
  EXPECT_EQ(error_of("/bin/x 'open"), "unbalanced ' quote at column 8");
  EXPECT_EQ(error_of("/bin/x \"a\\\""), "unbalanced \" quote at column 8");
  EXPECT_EQ(error_of("/bin/x a\\"), "trailing backslash at column 9");
  EXPECT_EQ(error_of("/bin/x a\nb"), "control character in command at column 9");
  EXPECT_EQ(error_of("   "), "empty command");
  EXPECT_EQ(error_of(""), "empty command");
  EXPECT_NE(error_of("on-change --flag").find("not an absolute path"), std::string::npos);
  EXPECT_NE(error_of("\"\" x").find("not an absolute path"), std::string::npos);
}

}  // namespace
}  // namespace wgtrack
