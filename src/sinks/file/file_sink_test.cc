#include "sinks/file/file_sink.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "events/sink_text.h"

namespace wgtrack {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;

Event event(std::string name) {
  Event e;
  e.type = EventType::kStatusChange;
  e.timestamp = WallTime(std::chrono::seconds(1765189500));
  e.interface = "wg0";
  e.name = std::move(name);
  e.old_status = "up";
  e.status = "down";
  return e;
}

// The "name" of every line of a file (one JSON object per line), or the raw line if none.
std::vector<std::string> names_in(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    const auto at = line.find("\"name\":\"");
    if (at == std::string::npos) {
      out.push_back("raw:" + line);
      continue;
    }
    const auto end = line.find("\",\"old_status\"", at);
    out.push_back(line.substr(at + 8, end - at - 8));
  }
  return out;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct LogLines {
  std::vector<std::string> warnings, infos;
  SinkLog fn() {
    return [this](SinkLogLevel l, std::string_view m) {
      (l == SinkLogLevel::kWarning ? warnings : infos).emplace_back(m);
    };
  }
};

class FileSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/wgtrack-file-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/events.log";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<FileSink> make(std::uint64_t max_size = 0, unsigned keep = 5) {
    FileSinkOptions o;
    o.path = path_;
    o.max_size = max_size;
    o.keep = keep;
    auto s = FileSink::create(o, log_.fn());
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    return s.ok() ? std::move(*s) : nullptr;
  }
  // Bytes one event line takes (names of equal length give equal lines).
  static std::uint64_t line_size(const std::string& name) {
    return event_json_line(event(name)).size() + 1;
  }

  std::string dir_, path_;
  LogLines log_;
};

TEST_F(FileSinkTest, OneJsonLinePerEventEvenWithHostileNames) {
  auto sink = make();
  sink->publish(event("plain"));
  sink->publish(event("a\nb"));
  sink->publish(
      event("c\xe2\x80\xa8"
            "d\xe2\x80\xa9"
            "e"));
  EXPECT_THAT(names_in(path_), ElementsAre("plain", "a\\nb", "c\\u2028d\\u2029e"));
  const std::string text = read_all(path_);
  EXPECT_EQ(text.find("\xe2\x80\xa8"), std::string::npos);
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(sink->stats().events_written, 3u);
  EXPECT_FALSE(sink->stats().degraded);
}

TEST_F(FileSinkTest, NewFileMode0640) {
  const mode_t old = ::umask(022);
  auto sink = make();
  ::umask(old);
  struct stat st;
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST_F(FileSinkTest, RotatesAtTheBoundaryNeverSplittingALine) {
  const std::uint64_t l = line_size("e0");
  auto sink = make(2 * l);
  sink->publish(event("e0"));
  sink->publish(event("e1"));  // exactly max_size: still one file
  EXPECT_EQ(fs::file_size(path_), 2 * l);
  EXPECT_FALSE(fs::exists(path_ + ".1"));
  sink->publish(event("e2"));  // would exceed: rotate first
  EXPECT_THAT(names_in(path_ + ".1"), ElementsAre("e0", "e1"));
  EXPECT_THAT(names_in(path_), ElementsAre("e2"));
  EXPECT_EQ(sink->rotations(), 1u);
}

TEST_F(FileSinkTest, KeepsOnlyKeepGenerations) {
  auto sink = make(line_size("e0"), 2);  // one line per file
  for (int i = 0; i < 5; ++i) sink->publish(event("e" + std::to_string(i)));
  EXPECT_THAT(names_in(path_), ElementsAre("e4"));
  EXPECT_THAT(names_in(path_ + ".1"), ElementsAre("e3"));
  EXPECT_THAT(names_in(path_ + ".2"), ElementsAre("e2"));
  EXPECT_FALSE(fs::exists(path_ + ".3"));
  EXPECT_EQ(sink->stats().events_written, 5u);
}

TEST_F(FileSinkTest, KeepZeroStartsOver) {
  auto sink = make(line_size("e0"), 0);
  for (int i = 0; i < 3; ++i) sink->publish(event("e" + std::to_string(i)));
  EXPECT_THAT(names_in(path_), ElementsAre("e2"));
  EXPECT_FALSE(fs::exists(path_ + ".1"));
}

TEST_F(FileSinkTest, LongerThanMaxSizeGetsAFileOfItsOwn) {
  auto sink = make(10, 1);
  sink->publish(event("big1"));
  sink->publish(event("big2"));
  EXPECT_THAT(names_in(path_), ElementsAre("big2"));
  EXPECT_THAT(names_in(path_ + ".1"), ElementsAre("big1"));
}

TEST_F(FileSinkTest, ReopenAfterExternalRenameWritesToANewFile) {
  auto sink = make();
  sink->publish(event("before"));
  fs::rename(path_, path_ + ".old");  // logrotate
  sink->publish(event("still-old"));  // the open file moved with the rename
  sink->reopen();                     // SIGHUP
  sink->publish(event("after"));
  EXPECT_THAT(names_in(path_ + ".old"), ElementsAre("before", "still-old"));
  EXPECT_THAT(names_in(path_), ElementsAre("after"));
}

TEST_F(FileSinkTest, CutLineLeftByAnotherWriterIsTerminatedFirst) {
  { std::ofstream(path_) << "{\"partial"; }
  auto sink = make();
  sink->publish(event("mine"));
  EXPECT_THAT(names_in(path_), ElementsAre("raw:{\"partial", "mine"));
}

TEST_F(FileSinkTest, CreateValidatesDirectoryAndOptions) {
  FileSinkOptions o;
  o.path = dir_ + "/missing/events.log";
  auto missing = FileSink::create(o, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  o.path = dir_;  // a directory, not a file
  EXPECT_FALSE(FileSink::create(o, {}).ok());
  o.path = "";
  EXPECT_FALSE(FileSink::create(o, {}).ok());
  o.path = path_;
  o.keep = FileSink::kMaxKeep + 1;
  EXPECT_FALSE(FileSink::create(o, {}).ok());
}

TEST_F(FileSinkTest, UnwritablePathIsCountedReportedOnceAndRetried) {
  auto sink = make();
  sink->publish(event("ok1"));
  fs::remove(path_);
  fs::create_directory(path_);  // something unwritable took the file's place
  sink->reopen();
  sink->publish(event("lost1"));
  sink->publish(event("lost2"));
  EXPECT_EQ(sink->stats().errors, 3u);  // the reopen and two events
  EXPECT_EQ(sink->stats().events_dropped, 2u);
  EXPECT_TRUE(sink->stats().degraded);
  ASSERT_EQ(log_.warnings.size(), 1u);
  EXPECT_NE(log_.warnings[0].find("Is a directory"), std::string::npos) << log_.warnings[0];
  fs::remove(path_);  // fixed: the next event retries and succeeds
  sink->publish(event("ok2"));
  EXPECT_THAT(names_in(path_), ElementsAre("ok2"));
  EXPECT_FALSE(sink->stats().degraded);
  ASSERT_EQ(log_.infos.size(), 1u);
  EXPECT_NE(log_.infos[0].find("recovered after 3 failures"), std::string::npos);
}

TEST_F(FileSinkTest, DiskFullIsCountedNotFatal) {
  FileSinkOptions o;
  o.path = "/dev/full";  // every write fails with ENOSPC
  auto sink = FileSink::create(o, log_.fn());
  ASSERT_TRUE(sink.ok());
  for (int i = 0; i < 3; ++i) (*sink)->publish(event("x"));
  EXPECT_EQ((*sink)->stats().errors, 3u);
  EXPECT_EQ((*sink)->stats().events_dropped, 3u);
  EXPECT_EQ((*sink)->stats().events_written, 0u);
  ASSERT_EQ(log_.warnings.size(), 1u);
  EXPECT_NE(log_.warnings[0].find("No space left on device"), std::string::npos);
}

TEST_F(FileSinkTest, DashMeansStdout) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const int saved = ::dup(STDOUT_FILENO);
  ::fflush(stdout);
  ::dup2(fds[1], STDOUT_FILENO);
  {
    FileSinkOptions o;
    o.path = "-";
    auto sink = FileSink::create(o, {});
    ASSERT_TRUE(sink.ok());
    (*sink)->publish(event("to-stdout"));
    (*sink)->reopen();  // no-op for stdout, and never closes fd 1
    (*sink)->publish(event("again"));
  }
  ::dup2(saved, STDOUT_FILENO);
  ::close(saved);
  ::close(fds[1]);
  std::string got(4096, '\0');
  got.resize(
      static_cast<std::size_t>(std::max<ssize_t>(0, ::read(fds[0], got.data(), got.size()))));
  ::close(fds[0]);
  EXPECT_NE(got.find("\"name\":\"to-stdout\""), std::string::npos);
  EXPECT_NE(got.find("\"name\":\"again\""), std::string::npos);
  EXPECT_EQ(std::count(got.begin(), got.end(), '\n'), 2);
}

}  // namespace
}  // namespace wgtrack
