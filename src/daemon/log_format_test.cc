#include "daemon/log_format.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "support/utf8_samples.h"

namespace wgtrack {
namespace {

std::string logged(const std::string& pattern, std::string_view message) {
  std::ostringstream text;
  spdlog::logger log("test", std::make_shared<spdlog::sinks::ostream_sink_st>(text));
  log.set_formatter(make_log_formatter(pattern));
  log.warn("peer {} down", message);
  return text.str();
}

TEST(LogFormat, InvalidUtf8InALogLineBecomesReplacementCharacter) {
  EXPECT_EQ(logged("%v", testing::kBadUtf8Name),
            "peer " + testing::kRepairedName + " down\n");
  EXPECT_EQ(logged("<%l> %v", "wg\xFF" "0"), "<warning> peer wg\xEF\xBF\xBD" "0 down\n");
}

TEST(LogFormat, ValidLinesAreUnchanged) {
  EXPECT_EQ(logged("%v", "M\xC3\xBCller \xE6\x9D\xB1\xE4\xBA\xAC \xF0\x9F\x9A\x80"),
            "peer M\xC3\xBCller \xE6\x9D\xB1\xE4\xBA\xAC \xF0\x9F\x9A\x80 down\n");
  EXPECT_EQ(logged("%l: %v", "office"), "warning: peer office down\n");
}

TEST(LogFormat, ClonesKeepThePattern) {
  auto f = make_log_formatter("[%n] %v");
  auto copy = f->clone();
  spdlog::details::log_msg msg("wgtrack", spdlog::level::info, "caf\xE9");
  spdlog::memory_buf_t out;
  copy->format(msg, out);
  EXPECT_EQ(std::string(out.data(), out.size()), "[wgtrack] caf\xEF\xBF\xBD\n");
}

}  // namespace
}  // namespace wgtrack
