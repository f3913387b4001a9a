#include "sinks/influx/influx_file_writer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace wgtrack {
namespace {

namespace fs = std::filesystem;

struct InfluxFileWriterTest : ::testing::Test {
  void SetUp() override {
    char tmpl[] = "/tmp/wgtrack-influx-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir = tmpl;
  }
  void TearDown() override { fs::remove_all(dir); }
  std::string read(const std::string& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  std::string dir;
  std::vector<std::string> logged;
  SinkLog log = [this](SinkLogLevel, std::string_view m) { logged.emplace_back(m); };
};

TEST_F(InfluxFileWriterTest, ReplacesTheWholeFileAndLeavesNoTemporaryFile) {
  auto w = InfluxFileWriter::create(dir + "/wg.out", log);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->write("wgtrack,interface=wg0 a=1i 1\nwgtrack,interface=wg1 a=2i 1\n").ok());
  ASSERT_TRUE((*w)->write("wgtrack,interface=wg0 a=3i 2\n").ok());
  EXPECT_EQ(read(dir + "/wg.out"), "wgtrack,interface=wg0 a=3i 2\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  EXPECT_EQ((*w)->writes(), 2u);
  EXPECT_EQ(fs::status(dir + "/wg.out").permissions() & fs::perms::others_read, fs::perms::others_read);
}

TEST_F(InfluxFileWriterTest, MissingDirectoryIsRejectedUpFront) {
  auto w = InfluxFileWriter::create(dir + "/nope/wg.out", log);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(InfluxFileWriter::create("", log).ok());
}

TEST_F(InfluxFileWriterTest, WriteErrorsAreValuesReportedOncePerStreak) {
  auto w = InfluxFileWriter::create(dir + "/sub/wg.out", log);
  ASSERT_FALSE(w.ok());  // no sub/ yet
  fs::create_directory(dir + "/sub");
  w = InfluxFileWriter::create(dir + "/sub/wg.out", log);
  ASSERT_TRUE(w.ok());
  fs::remove_all(dir + "/sub");  // the directory disappears under us
  EXPECT_FALSE((*w)->write("x 1\n").ok());
  EXPECT_FALSE((*w)->write("x 1\n").ok());
  EXPECT_EQ((*w)->errors(), 2u);
  EXPECT_EQ(logged.size(), 1u);  // once per streak
  fs::create_directory(dir + "/sub");
  EXPECT_TRUE((*w)->write("x 1\n").ok());
  EXPECT_EQ(logged.size(), 2u);  // "recovered"
}

}  // namespace
}  // namespace wgtrack
