#include "sinks/exec/exec_sink.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

namespace wgtrack {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

Event event(std::string name = "office") {
  Event e;
  e.type = EventType::kStatusChange;
  e.timestamp = WallTime(std::chrono::seconds(1765189500));
  e.interface = "wg0";
  e.peer = *PublicKey::from_base64("rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=");
  e.name = std::move(name);
  e.old_status = "up";
  e.status = "down";
  e.endpoint = *Endpoint::parse("192.0.2.2:51820");
  e.reason = "2 probes failed";
  e.allowed_ips = {*IpPrefix::parse("10.0.0.2/32")};
  e.last_handshake = WallTime(std::chrono::seconds(1765189400));
  return e;
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
  bool any_info_contains(std::string_view s) const {
    for (const auto& l : infos) {
      if (l.find(s) != std::string::npos) return true;
    }
    return false;
  }
};

class ExecSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/wgtrack-exec-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    fs::remove_all(dir_);
    // Every child was reaped: none left, not even a zombie.
    EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
  }

  // A hook script in the temp dir. Our sink never uses a shell; the test's script may.
  std::string script(const std::string& name, const std::string& body) {
    const std::string path = dir_ + "/" + name;
    {
      std::ofstream out(path);
      out << "#!/bin/sh\n" << body << "\n";
    }
    ::chmod(path.c_str(), 0755);
    return path;
  }

  std::unique_ptr<ExecSink> make(ExecSinkOptions o) {
    auto s = ExecSink::create(io_, std::move(o), log_.fn());
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    return s.ok() ? std::move(*s) : nullptr;
  }

  // Runs the loop until `done` or the deadline: waits on a condition, never a fixed sleep.
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 5s) {
    const auto deadline = Clock::now() + limit;
    while (!done()) {
      if (Clock::now() >= deadline) return false;
      io_.restart();
      io_.run_one_for(20ms);
    }
    return true;
  }

  boost::asio::io_context io_;
  std::string dir_;
  LogLines log_;
};

TEST_F(ExecSinkTest, ChildSeesTheEventInItsEnvironmentAndArgv) {
  ::setenv("WGTRACK_TEST_DAEMON_SECRET", "must-not-leak", 1);
  const std::string out = dir_ + "/env.out";
  const std::string hook =
      script("hook", "printf '%s\\n' \"$@\" > " + out + ".args\n" + "cat > " + out + ".stdin\n" +
                         "env > " + out + ".tmp && mv " + out + ".tmp " + out);
  ExecSinkOptions o;
  o.command = hook + " --flag \"quoted arg\"";
  auto sink = make(o);
  ASSERT_TRUE(sink);
  sink->publish(event());
  ASSERT_TRUE(run_until([&] { return sink->running() == 0; }));
  ::unsetenv("WGTRACK_TEST_DAEMON_SECRET");

  const std::string env = read_all(out);
  for (const std::string& kv : std::initializer_list<std::string>{
           "PEER_EVENT=OFFLINE\n", "PEER_IFACE=wg0\n",
           "PEER_PUBKEY=rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=\n",
           "PEER_ENDPOINT=192.0.2.2:51820\n", "PEER_ALLOWED_IPS=10.0.0.2\n",
           "PEER_HANDSHAKE=1765189400\n", "PEER_ONLINE=0\n", "WGTRACK_EVENT=status_change\n",
           "WGTRACK_INTERFACE=wg0\n", "WGTRACK_NAME=office\n", "WGTRACK_STATUS=down\n",
           "WGTRACK_OLD_STATUS=up\n", "WGTRACK_REASON=2 probes failed\n",
           "WGTRACK_EVENT_JSON={\"event\":\"status_change\"",
           std::string("PATH=") + kExecDefaultPath + "\n"}) {
    EXPECT_NE(env.find(kv), std::string::npos) << kv << " missing in:\n" << env;
  }
  EXPECT_EQ(env.find("must-not-leak"), std::string::npos);
  EXPECT_EQ(read_all(out + ".args"), "--flag\nquoted arg\n");
  EXPECT_EQ(read_all(out + ".stdin"), "");  // stdin is /dev/null
  EXPECT_EQ(sink->stats().events_written, 1u);
  EXPECT_EQ(sink->stats().errors, 0u);
}

TEST_F(ExecSinkTest, OutputIsLoggedBoundedAndSanitized) {
  ExecSinkOptions o;
  o.command = script("talk",
                     "echo hello; echo oops >&2; printf 'x\\033[31m\\n'; "
                     "head -c 10000 /dev/zero | tr '\\0' a");
  o.max_output_bytes = 64;
  auto sink = make(o);
  ASSERT_TRUE(sink);
  sink->publish(event());
  ASSERT_TRUE(run_until([&] { return sink->running() == 0; }));
  EXPECT_TRUE(log_.any_info_contains("]: hello"));
  EXPECT_TRUE(log_.any_info_contains("]: oops"));
  EXPECT_TRUE(log_.any_info_contains("]: x\\x1b[31m"));
  EXPECT_TRUE(log_.any_info_contains("more bytes of output discarded"));
}

TEST_F(ExecSinkTest, NonZeroExitIsAnErrorReportedOnce) {
  ExecSinkOptions o;
  o.command = script("fail", "exit 3");
  auto sink = make(o);
  ASSERT_TRUE(sink);
  sink->publish(event("a"));
  sink->publish(event("b"));
  ASSERT_TRUE(run_until([&] { return sink->running() == 0; }));
  EXPECT_EQ(sink->stats().errors, 2u);
  EXPECT_TRUE(sink->stats().degraded);
  ASSERT_EQ(log_.warnings.size(), 1u);
  EXPECT_NE(log_.warnings[0].find("exited with status 3"), std::string::npos);
}

TEST_F(ExecSinkTest, TimeoutTerminatesTheRunAndItsChildren) {
  ExecSinkOptions o;
  o.command = script("slow", "sleep 30 & wait");  // a grandchild, in the hook's group
  o.timeout = 200ms;
  auto sink = make(o);
  ASSERT_TRUE(sink);
  const auto t0 = Clock::now();
  sink->publish(event());
  ASSERT_TRUE(run_until([&] { return sink->running() == 0; }));
  EXPECT_LT(Clock::now() - t0, 3s);
  EXPECT_EQ(sink->timeouts(), 1u);
  EXPECT_EQ(sink->stats().errors, 1u);
  ASSERT_EQ(log_.warnings.size(), 1u);
  EXPECT_NE(log_.warnings[0].find("timed out after 200 ms, terminated (SIGTERM)"),
            std::string::npos)
      << log_.warnings[0];
}

TEST_F(ExecSinkTest, IgnoredSigtermIsFollowedBySigkill) {
  ExecSinkOptions o;
  o.command = script("stubborn", "trap '' TERM\nsleep 30");
  o.timeout = 150ms;
  o.kill_grace = 150ms;
  auto sink = make(o);
  ASSERT_TRUE(sink);
  sink->publish(event());
  ASSERT_TRUE(run_until([&] { return sink->running() == 0; }));
  EXPECT_EQ(sink->timeouts(), 1u);
  ASSERT_EQ(log_.warnings.size(), 1u);
  EXPECT_NE(log_.warnings[0].find("killed (SIGKILL)"), std::string::npos) << log_.warnings[0];
}

TEST_F(ExecSinkTest, BoundedConcurrencyQueueInOrderAndOverflowDropped) {
  const std::string out = dir_ + "/order";
  ExecSinkOptions o;
  o.command = script("append", "echo \"$WGTRACK_NAME\" >> " + out);
  o.max_running = 1;
  o.max_queue = 2;
  auto sink = make(o);
  ASSERT_TRUE(sink);
  for (const char* n : {"e0", "e1", "e2", "e3", "e4"}) sink->publish(event(n));
  EXPECT_EQ(sink->running(), 1u);
  EXPECT_EQ(sink->queued(), 2u);
  EXPECT_EQ(sink->stats().events_dropped, 2u);  // never blocked: dropped and counted
  ASSERT_EQ(log_.warnings.size(), 1u);
  ASSERT_TRUE(run_until([&] { return sink->running() == 0 && sink->queued() == 0; }));
  EXPECT_EQ(read_all(out), "e0\ne1\ne2\n");
  EXPECT_EQ(sink->stats().events_written, 3u);
}

TEST_F(ExecSinkTest, DestructionKillsAndReapsRunningChildren) {
  ExecSinkOptions o;
  o.command = script("forever", "sleep 30");
  o.max_running = 2;
  auto sink = make(o);
  ASSERT_TRUE(sink);
  for (int i = 0; i < 3; ++i) sink->publish(event());
  EXPECT_EQ(sink->running(), 2u);
  const auto t0 = Clock::now();
  sink.reset();  // TearDown checks that no child (or zombie) is left
  EXPECT_LT(Clock::now() - t0, 2s);
  io_.restart();
  io_.poll();  // aborted handlers find the sink gone and do nothing
}

TEST_F(ExecSinkTest, MissingProgramIsAConfigErrorAndARuntimeErrorNotACrash) {
  ExecSinkOptions o;
  o.command = dir_ + "/does-not-exist --x";
  auto missing = ExecSink::create(io_, o, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);

  o.command = script("vanishing", "exit 0");
  auto sink = make(o);
  ASSERT_TRUE(sink);
  fs::remove(dir_ + "/vanishing");  // deleted after the config was loaded
  sink->publish(event());
  sink->publish(event());
  EXPECT_EQ(sink->running(), 0u);
  EXPECT_EQ(sink->stats().errors, 2u);
  EXPECT_EQ(sink->stats().events_dropped, 2u);
  ASSERT_EQ(log_.warnings.size(), 1u);
  EXPECT_NE(log_.warnings[0].find("No such file or directory"), std::string::npos);
}

TEST_F(ExecSinkTest, CreateValidatesTheCommand) {
  ExecSinkOptions o;
  o.command = "/bin/true \"unbalanced";
  auto r = ExecSink::create(io_, o, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(r.error().message.find("unbalanced"), std::string::npos);
  o.command = "true";
  EXPECT_FALSE(ExecSink::create(io_, o, {}).ok());  // not absolute: PATH is never searched
  o.command = dir_;                                 // a directory
  EXPECT_FALSE(ExecSink::create(io_, o, {}).ok());
  const std::string plain = dir_ + "/plain";
  std::ofstream(plain) << "x";
  o.command = plain;  // not executable
  EXPECT_EQ(ExecSink::create(io_, o, {}).error().code, ErrorCode::kPermissionDenied);
  o.command = "/bin/true";
  o.max_running = 0;
  EXPECT_FALSE(ExecSink::create(io_, o, {}).ok());
}

}  // namespace
}  // namespace wgtrack
