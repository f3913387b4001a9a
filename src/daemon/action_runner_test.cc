// ActionRunner on fakes, through the whole Daemon: a down peer with a configured candidate is
// moved (update-only write, endpoint_changed with its reason, an in-tunnel probe to make
// traffic), the read of our own write is not reported again as a roam, one DNS lookup serves
// every peer that asks for the same name, and a hub without candidates pays nothing.
// Only ready handlers run (io.poll()): no waiting.
#include "daemon/action_runner.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <sstream>

#include "daemon/daemon.h"
#include "support/fake_backend.h"
#include "support/fake_clock.h"
#include "support/fake_notifier.h"
#include "support/fake_prober.h"
#include "support/fake_resolver.h"

namespace wgtrack {
namespace {

using namespace std::chrono_literals;
using testing::FakeProber;
using testing::FakeResolver;

const PublicKey kA = *PublicKey::from_base64("rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=");
const PublicKey kB = *PublicKey::from_base64("hJpMO8QqkDRZpq3EE+WGZLFJqZkziL/z4pZprap4U1k=");

class ActionRunnerTest : public ::testing::Test {
 protected:
  ActionRunnerTest()
      : sink_(std::make_shared<spdlog::sinks::ostream_sink_st>(log_text_)), log_("test", sink_) {
    log_.set_level(spdlog::level::debug);
    Device d;
    d.name = "wg0";
    d.peers = {peer(kA, "203.0.113.2/32"), peer(kB, "203.0.113.3/32")};
    backend_.put(d);
  }
  Peer peer(const PublicKey& k, const char* allowed) {
    Peer p;
    p.public_key = k;
    p.endpoint = *Endpoint::parse("192.0.2.1:51820");
    p.allowed_ips = {*IpPrefix::parse(allowed)};
    p.last_handshake = clock_.wall_now() - 5s;
    p.rx_bytes = p.tx_bytes = 1000;
    return p;
  }
  void make(const std::string& text) {
    auto initial = config::parse_config(text, "w.conf");
    ASSERT_TRUE(initial.ok()) << config::format_diagnostics(initial.diagnostics);
    daemon_ = std::make_unique<Daemon>(
        Daemon::Deps{io_, backend_, prober_, clock_, notifier_, log_,
                     [text] { return config::parse_config(text, "w.conf"); }, &resolver_},
        std::move(initial));
    daemon_->start();
    io_.poll();
  }
  // One regular cycle 1 s later (the daemon's timers run on the real clock: trigger directly).
  void cycle() {
    clock_.advance(1s);
    daemon_->cycle_now();
    io_.poll();
  }
  std::size_t in_log(const std::string& piece) const {
    std::size_t n = 0;
    for (auto at = log_text_.str().find(piece); at != std::string::npos;
         at = log_text_.str().find(piece, at + 1)) {
      ++n;
    }
    return n;
  }

  boost::asio::io_context io_;
  testing::FakeBackend backend_;
  FakeProber prober_;
  FakeResolver resolver_;
  testing::FakeClock clock_;
  testing::FakeNotifier notifier_;
  std::ostringstream log_text_;
  std::shared_ptr<spdlog::sinks::ostream_sink_st> sink_;
  spdlog::logger log_;
  std::unique_ptr<Daemon> daemon_;
};

TEST_F(ActionRunnerTest, DownPeerMovesToItsReachableCandidateAndTheRoamIsNotReportedTwice) {
  make("[general]\ncycle_time = 1\nping_failafternum = 2\n[peer:" + kA.to_base64() +
       "]\nname = field\nendpoints = 198.51.100.7:51820\n");
  ASSERT_NE(daemon_->runner(), nullptr);
  EXPECT_EQ(daemon_->monitor().managed_peers(), 1u);
  prober_.set_result(*Endpoint::parse_address("203.0.113.2", 0), FakeProber::lost());
  for (int i = 0; i < 3 && backend_.updates.empty(); ++i) {
    prober_.deliver();  // in-tunnel probes lost -> down; the candidate's echo answers
    cycle();
    prober_.deliver();
    io_.poll();
  }
  ASSERT_EQ(backend_.updates.size(), 1u) << log_text_.str();
  EXPECT_EQ(backend_.updates[0].interface, "wg0");
  EXPECT_EQ(backend_.updates[0].update.public_key, kA);
  EXPECT_EQ(backend_.updates[0].update.endpoint.to_string(), "198.51.100.7:51820");
  // The candidate was probed outside the tunnel; after the write, traffic was made inside it.
  bool routed = false, traffic_after = false;
  for (const auto& r : prober_.requests) {
    if (r.interface.empty())
      routed = r.target.address_string() == "198.51.100.7";
    else if (routed)
      traffic_after = traffic_after || r.target.address_string() == "203.0.113.2";
  }
  EXPECT_TRUE(routed);
  EXPECT_TRUE(traffic_after);
  EXPECT_EQ(in_log("endpoint_changed down 192.0.2.1:51820 -> 198.51.100.7:51820 (reresolve)"), 1u)
      << log_text_.str();
  // The next read shows the new endpoint: that change is ours, not reported as "roamed".
  cycle();
  cycle();
  EXPECT_EQ(in_log("(roamed)"), 0u) << log_text_.str();
  EXPECT_EQ(daemon_->runner()->stats().writes, 1u);
  // The snapshot the API serves shows it: the last switch, and the candidate now current.
  const auto snapshot = daemon_->latest_snapshot();
  ASSERT_NE(snapshot, nullptr);
  const PeerSnapshot* a = find_peer(snapshot->interfaces.at(0), kA.to_base64());
  ASSERT_NE(a, nullptr);
  ASSERT_TRUE(a->recovery);
  ASSERT_TRUE(a->recovery->last_switch);
  EXPECT_EQ(a->recovery->last_switch->to.to_string(), "198.51.100.7:51820");
  EXPECT_EQ(a->recovery->last_switch->reason, "reresolve");
  EXPECT_FALSE(find_peer(snapshot->interfaces.at(0), kB.to_base64())->recovery);
  // ... and the API's event ring has the change with its reason.
  bool ring_has_it = false;
  for (const auto* entry : daemon_->event_ring().since(0).events) {
    ring_has_it |=
        entry->event.type == EventType::kEndpointChanged && entry->event.reason == "reresolve";
  }
  EXPECT_TRUE(ring_has_it);
  // Peer B has no candidate: never written, never probed outside the tunnel.
  for (const auto& u : backend_.updates) EXPECT_EQ(u.update.public_key, kA);
  daemon_->stop();
}

TEST_F(ActionRunnerTest, OneLookupServesEveryPeerAskingForTheSameName) {
  resolver_.set_answer("vpn.example", FakeResolver::answer({{"192.0.2.1", 300}}));
  make("[general]\ncycle_time = 1\n[peer:" + kA.to_base64() +
       "]\nendpoints = vpn.example:51820\n[peer:" + kB.to_base64() +
       "]\nendpoints = vpn.example:51821\n");
  EXPECT_EQ(daemon_->monitor().managed_peers(), 2u);
  EXPECT_EQ(resolver_.calls.size(), 1u);
  resolver_.deliver();
  EXPECT_EQ(daemon_->runner()->stats().resolutions, 1u);
  for (const PublicKey& k : {kA, kB}) {
    const PeerRecord* r = daemon_->monitor().find("wg0", k);
    ASSERT_NE(r, nullptr);
    ASSERT_TRUE(r->recovery);
    EXPECT_EQ(r->recovery->status(clock_.mono_now()).hosts.at(0).addresses, 1u);
  }
  daemon_->stop();
}

TEST_F(ActionRunnerTest, DnsFailureIsAnEventNotACrash) {
  resolver_.set_answer("vpn.example", FakeResolver::timeout("vpn.example"));
  make("[general]\ncycle_time = 1\n[peer:" + kA.to_base64() + "]\nendpoints = vpn.example:1\n");
  resolver_.deliver();
  EXPECT_EQ(in_log("resolve_failed"), 1u) << log_text_.str();
  EXPECT_EQ(daemon_->runner()->stats().resolve_errors, 1u);
  cycle();
  EXPECT_GE(daemon_->cycles(), 2u);
  daemon_->stop();
}

TEST_F(ActionRunnerTest, HubWithoutCandidatesManagesNothing) {
  make("[general]\ncycle_time = 1\n");
  cycle();
  EXPECT_EQ(daemon_->monitor().managed_peers(), 0u);
  EXPECT_TRUE(resolver_.calls.empty());
  for (const auto& r : prober_.requests) EXPECT_FALSE(r.interface.empty());
  daemon_->stop();
}

}  // namespace
}  // namespace wgtrack
