// The daemon edge on fakes: one cycle through Monitor to the notifier, the probe round trip,
// and SIGHUP's reload rules. Only handlers that are ready run (io.poll()): no waiting.
#include "daemon/daemon.h"

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "support/fake_backend.h"
#include "support/fake_clock.h"
#include "support/fake_notifier.h"
#include "support/fake_prober.h"

namespace wgtrack {
namespace {

using namespace std::chrono_literals;

const PublicKey kA = *PublicKey::from_base64("rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=");

class DaemonTest : public ::testing::Test {
 protected:
  DaemonTest()
      : sink_(std::make_shared<spdlog::sinks::ostream_sink_st>(log_text_)),
        log_("test", sink_) {
    log_.set_level(spdlog::level::debug);
    Device d;
    d.name = "wg0";
    Peer p;
    p.public_key = kA;
    p.endpoint = *Endpoint::parse("192.0.2.2:51820");
    p.allowed_ips = {*IpPrefix::parse("203.0.113.2/32")};
    p.last_handshake = clock_.wall_now() - 5s;
    p.rx_bytes = p.tx_bytes = 1000;
    d.peers = {p};
    backend_.put(d);
  }

  std::unique_ptr<Daemon> make(const std::string& text) {
    next_config_ = text;
    auto initial = config::parse_config(text, "w.conf");
    EXPECT_TRUE(initial.ok());
    return std::make_unique<Daemon>(
        Daemon::Deps{io_, backend_, prober_, clock_, notifier_, log_,
                     [this] { return config::parse_config(next_config_, "w.conf"); }},
        std::move(initial));
  }

  boost::asio::io_context io_;
  testing::FakeBackend backend_;
  testing::FakeProber prober_;
  testing::FakeClock clock_;
  testing::FakeNotifier notifier_;
  std::ostringstream log_text_;
  std::shared_ptr<spdlog::sinks::ostream_sink_st> sink_;
  spdlog::logger log_;
  std::string next_config_;
};

TEST_F(DaemonTest, FirstCycleReadsReportsAndSignalsReady) {
  auto d = make("[general]\ncycle_time = 1\n[peer:" + kA.to_base64() + "]\nname = office\n");
  d->start();
  io_.poll();
  EXPECT_EQ(d->cycles(), 1u);
  EXPECT_NE(log_text_.str().find("wg0 office (rtgrUqCx…): initial_status up"), std::string::npos)
      << log_text_.str();
  ASSERT_GE(notifier_.calls.size(), 2u);
  EXPECT_EQ(notifier_.calls[0], "READY=1");
  EXPECT_EQ(notifier_.calls[1], "STATUS=1 interface, 1 peer: 1 up");
  // The probe went to the peer's /32 through wg0.
  ASSERT_EQ(prober_.requests.size(), 1u);
  EXPECT_EQ(prober_.requests[0].interface, "wg0");
  EXPECT_EQ(prober_.requests[0].target.address_string(), "203.0.113.2");
  d->stop();
}

TEST_F(DaemonTest, ProbeErrorsThatSayNothingAboutThePeerAreCountedNotJudged) {
  auto d = make("[general]\ncycle_time = 1\n");
  ProbeResult denied;
  denied.error = Error(ErrorCode::kPermissionDenied, "no CAP_NET_RAW");
  prober_.set_default(denied);
  d->start();
  io_.poll();
  prober_.deliver();
  io_.poll();
  EXPECT_NE(log_text_.str().find("cannot probe through wg0: no CAP_NET_RAW"), std::string::npos);
  EXPECT_EQ(d->monitor().counts().up, 1u);
  d->stop();
}

TEST_F(DaemonTest, InvalidReloadKeepsTheOldConfiguration) {
  auto d = make("[general]\ncycle_time = 1\n");
  d->start();
  io_.poll();
  next_config_ = "[general]\ncycle_time = soon\n";
  EXPECT_FALSE(d->reload());
  EXPECT_NE(log_text_.str().find("w.conf:2: error"), std::string::npos) << log_text_.str();
  EXPECT_NE(log_text_.str().find("the previous configuration stays active"), std::string::npos);
  EXPECT_EQ(d->monitor().config().general.cycle_time, 1s);

  next_config_ = "[general]\ncycle_time = 2\n";
  EXPECT_TRUE(d->reload());
  EXPECT_EQ(d->monitor().config().general.cycle_time, 2s);
  EXPECT_EQ(d->monitor().counts().up, 1u);  // state survived the reload
  d->stop();
}

TEST_F(DaemonTest, ReloadSaysWhichChangesWaitForARestart) {
  auto d = make("[general]\ncycle_time = 1\n[http]\nlisten = 127.0.0.1:9586\n");
  next_config_ = "[general]\ncycle_time = 2\n[http]\nlisten = 127.0.0.1:9586\n";
  EXPECT_TRUE(d->reload());
  EXPECT_EQ(log_text_.str().find("at the next restart"), std::string::npos) << log_text_.str();

  next_config_ =
      "[general]\ncycle_time = 2\ndns_servers = 192.0.2.53\n[http]\nlisten = 127.0.0.1:9587\n"
      "[history]\nenabled = no\n";
  EXPECT_TRUE(d->reload());
  EXPECT_NE(log_text_.str().find("[http], [history], dns_servers changed: applied at the next "
                                 "restart, the rest now"),
            std::string::npos)
      << log_text_.str();
  EXPECT_EQ(d->monitor().config().general.cycle_time, 2s);
  d->stop();
}

TEST_F(DaemonTest, ReloadRejectsBrokenOutputs) {
  auto d = make("[general]\ncycle_time = 1\n");
  next_config_ = "[output:f]\ntype = file\n";
  EXPECT_FALSE(d->reload());
  EXPECT_NE(log_text_.str().find("needs path"), std::string::npos);
  d->stop();
}

TEST_F(DaemonTest, ReloadRejectsWhatTheNextStartWouldRefuse) {
  auto d = make("[general]\ncycle_time = 1\n[http]\nlisten = 127.0.0.1:9586\n");
  next_config_ = "[general]\ncycle_time = 2\n[http]\nlisten = localhost:9586\n";
  EXPECT_FALSE(d->reload());
  EXPECT_NE(log_text_.str().find("w.conf:4: error"), std::string::npos) << log_text_.str();
  EXPECT_NE(log_text_.str().find("the previous configuration stays active"), std::string::npos);
  EXPECT_EQ(d->monitor().config().general.cycle_time, 1s);
  next_config_ = "[general]\ncycle_time = 2\n[history]\nmax_size = lots\n";
  EXPECT_FALSE(d->reload());
  EXPECT_EQ(d->monitor().config().general.cycle_time, 1s);
  d->stop();
}

}  // namespace
}  // namespace wgtrack
