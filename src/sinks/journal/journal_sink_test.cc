#include "sinks/journal/journal_sink.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>

namespace wgtrack {
namespace {

// A recording Journal: keeps every entry it accepted; answers with scripted results.
class FakeJournal final : public Journal {
 public:
  struct Recording {
    std::vector<JournalEntry> entries;
    std::deque<Result<void>> script;  // next results; empty = success
  };
  explicit FakeJournal(std::shared_ptr<Recording> r) : r_(std::move(r)) {}
  Result<void> send(const JournalEntry& entry) override {
    if (!r_->script.empty()) {
      Result<void> res = r_->script.front();
      r_->script.pop_front();
      if (!res.ok()) return res;
    }
    r_->entries.push_back(entry);
    return success();
  }
  std::string describe() const override { return "fake"; }

 private:
  std::shared_ptr<Recording> r_;
};

struct LogLines {
  std::vector<std::string> warnings, infos;
  SinkLog fn() {
    return [this](SinkLogLevel l, std::string_view m) {
      (l == SinkLogLevel::kWarning ? warnings : infos).emplace_back(m);
    };
  }
};

Event event(std::string name, std::string status = "down") {
  Event e;
  e.type = EventType::kStatusChange;
  e.timestamp = WallTime(std::chrono::seconds(1765189500));
  e.interface = "wg0";
  e.name = std::move(name);
  e.old_status = "up";
  e.status = std::move(status);
  return e;
}

std::string name_of(const JournalEntry& e) {
  const std::string* n = e.find("WGTRACK_NAME");
  return n ? *n : "";
}

TEST(JournalSink, SendsStructuredEntriesThroughTheSeam) {
  auto rec = std::make_shared<FakeJournal::Recording>();
  LogLines log;
  JournalSink sink(
      {}, [rec] { return std::make_unique<FakeJournal>(rec); }, log.fn());
  sink.publish(event("a"));
  sink.publish(event("b", "up"));
  ASSERT_EQ(rec->entries.size(), 2u);
  EXPECT_EQ(name_of(rec->entries[0]), "a");
  EXPECT_EQ(*rec->entries[0].find("PRIORITY"), "4");
  EXPECT_EQ(*rec->entries[1].find("PRIORITY"), "5");
  EXPECT_EQ(*rec->entries[1].find("SYSLOG_IDENTIFIER"), "wgtrack");
  EXPECT_EQ(sink.stats().events_written, 2u);
  EXPECT_FALSE(sink.stats().degraded);
  EXPECT_EQ(sink.transport(), "fake");
}

TEST(JournalSink, BusyReceiverQueuesInOrderAndOverflowIsCounted) {
  auto rec = std::make_shared<FakeJournal::Recording>();
  LogLines log;
  JournalSinkOptions opt;
  opt.max_queue = 2;
  JournalSink sink(
      opt, [rec] { return std::make_unique<FakeJournal>(rec); }, log.fn());
  const Error busy(ErrorCode::kTransient, "EAGAIN");
  rec->script = {busy, busy, busy};  // a: busy; b: queued behind a (a retried: busy)
  sink.publish(event("a"));
  sink.publish(event("b"));
  EXPECT_EQ(sink.queued(), 2u);
  sink.publish(event("c"));  // drain: a busy again -> c overflows
  EXPECT_EQ(sink.queued(), 2u);
  EXPECT_EQ(sink.stats().events_dropped, 1u);
  ASSERT_EQ(log.warnings.size(), 1u);
  EXPECT_NE(log.warnings[0].find("not keeping up"), std::string::npos);
  sink.flush();  // the receiver caught up
  EXPECT_EQ(sink.queued(), 0u);
  ASSERT_EQ(rec->entries.size(), 2u);
  EXPECT_EQ(name_of(rec->entries[0]), "a");
  EXPECT_EQ(name_of(rec->entries[1]), "b");
  EXPECT_EQ(sink.stats().events_written, 2u);
}

TEST(JournalSink, FailedSendsCountedAndReportedOncePerStreak) {
  auto rec = std::make_shared<FakeJournal::Recording>();
  LogLines log;
  JournalSink sink(
      {}, [rec] { return std::make_unique<FakeJournal>(rec); }, log.fn());
  const Error gone(ErrorCode::kNotFound, "send to /dev/log: Connection refused");
  rec->script = {gone, gone, gone};
  for (int i = 0; i < 3; ++i) sink.publish(event("x"));
  EXPECT_EQ(sink.stats().errors, 3u);
  EXPECT_EQ(sink.stats().events_dropped, 3u);
  EXPECT_TRUE(sink.stats().degraded);
  EXPECT_EQ(log.warnings.size(), 1u);
  sink.publish(event("y"));
  EXPECT_FALSE(sink.stats().degraded);
  EXPECT_EQ(rec->entries.size(), 1u);
  ASSERT_FALSE(log.infos.empty());
  EXPECT_NE(log.infos.back().find("recovered after 3 failures"), std::string::npos);
}

TEST(JournalSink, NoTransportIsDegradedDropsAndWarnsOnceUntilReopenFindsOne) {
  auto rec = std::make_shared<FakeJournal::Recording>();
  bool available = false;
  LogLines log;
  JournalSink sink(
      {},
      [&]() -> std::unique_ptr<Journal> {
        if (!available) return nullptr;
        return std::make_unique<FakeJournal>(rec);
      },
      log.fn());
  EXPECT_EQ(sink.transport(), "none");
  for (int i = 0; i < 5; ++i) sink.publish(event("x"));
  EXPECT_EQ(sink.stats().events_dropped, 5u);
  EXPECT_TRUE(sink.stats().degraded);
  ASSERT_EQ(log.warnings.size(), 1u);
  EXPECT_NE(log.warnings[0].find("no journal"), std::string::npos);
  available = true;
  sink.reopen();  // SIGHUP
  sink.publish(event("y"));
  EXPECT_EQ(rec->entries.size(), 1u);
  EXPECT_FALSE(sink.stats().degraded);
}

TEST(JournalSink, CreateValidatesOptions) {
  JournalSinkOptions bad;
  bad.identifier = "wg track";
  EXPECT_FALSE(JournalSink::create(bad, {}).ok());
  JournalSinkOptions zero;
  zero.max_queue = 0;
  EXPECT_FALSE(JournalSink::create(zero, {}).ok());
}

// Real sockets: a datagram socket bound in a temp dir stands in for journald or syslogd.
class BoundSocket {
 public:
  explicit BoundSocket(const std::string& path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
    ok_ = fd_ >= 0 && ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    timeval tv{2, 0};  // a bound on the test, never a pause: data is already queued
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~BoundSocket() { ::close(fd_); }
  bool ok() const { return ok_; }
  std::string receive(int flags = 0) {
    std::string buf(65536, '\0');
    const ssize_t n = ::recv(fd_, buf.data(), buf.size(), flags);
    buf.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return buf;
  }

 private:
  int fd_ = -1;
  bool ok_ = false;
};

class JournalSinkRealSocket : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/wgtrack-journal-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  JournalSinkOptions options() const {
    JournalSinkOptions o;
    o.journal_socket = dir_ + "/journal.socket";
    o.syslog_socket = dir_ + "/log";
    return o;
  }
  std::string dir_;
};

TEST_F(JournalSinkRealSocket, FallsBackToSyslogLineOnDevLog) {
  BoundSocket syslogd(dir_ + "/log");
  ASSERT_TRUE(syslogd.ok());
  LogLines log;
  auto sink = JournalSink::create(options(), log.fn());
  ASSERT_TRUE(sink.ok());
  EXPECT_EQ((*sink)->transport(), "syslog " + dir_ + "/log");
  (*sink)->publish(event("office\nforged line"));
  const std::string line = syslogd.receive();
  const std::string tag = " wgtrack[" + std::to_string(::getpid()) + "]: {\"event\":";
  EXPECT_EQ(line.rfind("<28>", 0), 0u) << line;  // daemon.warning
  EXPECT_NE(line.find(tag), std::string::npos) << line;
  EXPECT_EQ(line.find('\n'), std::string::npos) << line;
  EXPECT_NE(line.find("\"name\":\"office\\nforged line\""), std::string::npos) << line;
  EXPECT_EQ((*sink)->stats().events_written, 1u);
}

TEST_F(JournalSinkRealSocket, PrefersTheJournalNativeProtocol) {
  BoundSocket journald(dir_ + "/journal.socket");
  BoundSocket syslogd(dir_ + "/log");
  ASSERT_TRUE(journald.ok() && syslogd.ok());
  auto sink = JournalSink::create(options(), {});
  ASSERT_TRUE(sink.ok());
  (*sink)->publish(event("office"));
  const std::string datagram = journald.receive();
  EXPECT_NE(datagram.find("MESSAGE={\"event\":\"status_change\""), std::string::npos);
  EXPECT_NE(datagram.find("\nPRIORITY=4\n"), std::string::npos);
  EXPECT_NE(datagram.find("\nWGTRACK_NAME=office\n"), std::string::npos);
  EXPECT_NE(datagram.find("\nSYSLOG_IDENTIFIER=wgtrack\n"), std::string::npos);
}

TEST_F(JournalSinkRealSocket, NeitherSocketMeansDegraded) {
  LogLines log;
  auto sink = JournalSink::create(options(), log.fn());
  ASSERT_TRUE(sink.ok());  // not a configuration error
  (*sink)->publish(event("x"));
  EXPECT_EQ((*sink)->transport(), "none");
  EXPECT_TRUE((*sink)->stats().degraded);
  EXPECT_EQ((*sink)->stats().events_dropped, 1u);
  EXPECT_EQ(log.warnings.size(), 1u);
}

TEST_F(JournalSinkRealSocket, FullReceiverQueuesWithoutBlockingThenDrains) {
  BoundSocket syslogd(dir_ + "/log");
  ASSERT_TRUE(syslogd.ok());
  JournalSinkOptions o = options();
  o.max_queue = 100000;
  auto sink = JournalSink::create(o, {});
  ASSERT_TRUE(sink.ok());
  // Nobody reads: the kernel queue (net.unix.max_dgram_qlen) fills, sends see EAGAIN.
  int published = 0;
  while ((*sink)->queued() == 0 && published < 50000) {
    (*sink)->publish(event("p" + std::to_string(published++)));
  }
  ASSERT_GT((*sink)->queued(), 0u) << "the receiver queue never filled";
  const std::uint64_t written = (*sink)->stats().events_written;
  EXPECT_EQ(written + (*sink)->queued(), static_cast<std::uint64_t>(published));
  // The receiver catches up; the queue drains in order on flush.
  std::uint64_t received = 0;
  while (received < static_cast<std::uint64_t>(published)) {
    while (!syslogd.receive(MSG_DONTWAIT).empty()) ++received;
    if ((*sink)->queued() == 0) break;
    (*sink)->flush();
  }
  while (!syslogd.receive(MSG_DONTWAIT).empty()) ++received;
  EXPECT_EQ((*sink)->queued(), 0u);
  EXPECT_EQ(received, static_cast<std::uint64_t>(published));
  EXPECT_EQ((*sink)->stats().events_dropped, 0u);
}

}  // namespace
}  // namespace wgtrack
