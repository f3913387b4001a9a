// IcmpProber with real sockets on the loopback interface. Needs CAP_NET_RAW or ping sockets
// allowed by net.ipv4.ping_group_range, and skips itself without them: unit tests never need
// root. The tunnel itself is tested in tests/integration/probe.sh.
#include "probe/icmp_prober.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <optional>
#include <vector>

namespace wgtrack {
namespace {

using std::chrono::milliseconds;

Endpoint addr(const char* text) { return Endpoint::parse_address(text, 0).value(); }

class IcmpProberTest : public ::testing::Test {
 protected:
  // One probe, run to completion.
  ProbeResult probe_once(const char* interface, const char* target, milliseconds timeout) {
    std::optional<ProbeResult> got;
    prober_->probe({interface, addr(target), timeout}, [this, &got](const ProbeResult& r) {
      got = r;
      io_.stop();
    });
    io_.restart();
    io_.run_for(timeout + milliseconds(2000));
    EXPECT_TRUE(got) << "no completion";
    return got.value_or(ProbeResult{});
  }

  // Skips the test where this process may open no ICMP socket of `target`'s family.
  void require_sockets(const char* target) {
    const ProbeResult r = probe_once("lo", target, milliseconds(1000));
    if (!r.ok && r.error &&
        (r.error->code == ErrorCode::kPermissionDenied ||
         r.error->code == ErrorCode::kUnsupported)) {
      GTEST_SKIP() << r.error->message;
    }
    ASSERT_TRUE(r.ok) << (r.error ? r.error->message : "");
  }

  boost::asio::io_context io_;
  std::optional<IcmpProber> prober_{std::in_place, io_};
};

TEST_F(IcmpProberTest, LoopbackEchoIgnoresOwnRequest) {
  // On lo a raw socket also receives our own echo request (the ICMP filter drops it, the parser
  // ignores it): it must never count as the reply.
  require_sockets("127.0.0.1");
  const ProbeResult r = probe_once("lo", "127.0.0.1", milliseconds(1000));
  ASSERT_TRUE(r.ok);
  EXPECT_GT(r.rtt.count(), 0);
  EXPECT_LT(r.rtt, milliseconds(500));
  EXPECT_TRUE(prober_->socket_kind("lo", IpFamily::kIPv4).has_value());
  EXPECT_FALSE(prober_->socket_kind("lo", IpFamily::kIPv6).has_value());
  EXPECT_EQ(prober_->in_flight(), 0u);
}

TEST_F(IcmpProberTest, RoutedEchoWithoutInterface) {
  // interface "": no SO_BINDTODEVICE, the routing table picks the way (endpoint candidates).
  require_sockets("127.0.0.1");
  const ProbeResult r = probe_once("", "127.0.0.1", milliseconds(1000));
  ASSERT_TRUE(r.ok) << (r.error ? r.error->message : "");
  EXPECT_TRUE(prober_->socket_kind("", IpFamily::kIPv4).has_value());
}

TEST_F(IcmpProberTest, LoopbackIpv6) { require_sockets("::1"); }

TEST_F(IcmpProberTest, ManyInFlightAllMatchTheirOwnReply) {
  require_sockets("127.0.0.1");
  constexpr int kProbes = 2000;  // more than fit in one socket buffer at once
  int ok = 0, done = 0;
  for (int i = 0; i < kProbes; ++i) {
    const char* target = i % 2 ? "127.0.0.1" : "127.0.0.2";
    prober_->probe({"lo", addr(target), milliseconds(3000)}, [&](const ProbeResult& r) {
      ++done;
      ok += r.ok;
    });
  }
  EXPECT_EQ(prober_->in_flight(), static_cast<std::size_t>(kProbes));
  io_.restart();
  io_.run_for(milliseconds(5000));
  EXPECT_EQ(done, kProbes);
  EXPECT_EQ(ok, kProbes);
  EXPECT_EQ(prober_->in_flight(), 0u);
}

TEST_F(IcmpProberTest, NoReplyTimesOutAsLost) {
  require_sockets("127.0.0.1");
  // TEST-NET-1 bound to lo: nothing there answers.
  const auto t0 = std::chrono::steady_clock::now();
  const ProbeResult r = probe_once("lo", "192.0.2.99", milliseconds(200));
  const auto took = std::chrono::steady_clock::now() - t0;
  ASSERT_FALSE(r.ok);
  ASSERT_TRUE(r.error);
  EXPECT_TRUE(r.lost()) << r.error->message;
  EXPECT_GE(took, milliseconds(200));
  EXPECT_LT(took, milliseconds(1000));
}

TEST_F(IcmpProberTest, CompletesLaterNeverInsideProbe) {
  bool called = false;
  prober_->probe({"lo", addr("127.0.0.1"), milliseconds(500)},
                 [&called](const ProbeResult&) { called = true; });
  prober_->probe({"bad/name", addr("127.0.0.1"), milliseconds(500)},
                 [&called](const ProbeResult&) { called = true; });
  EXPECT_FALSE(called);
  io_.run_for(milliseconds(2000));
  EXPECT_TRUE(called);
}

TEST_F(IcmpProberTest, BadAndMissingInterfaces) {
  ProbeResult r = probe_once("bad/name", "127.0.0.1", milliseconds(100));
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, ErrorCode::kInvalidInput);
  EXPECT_FALSE(r.lost());
  require_sockets("127.0.0.1");
  r = probe_once("wgtnosuch0", "127.0.0.1", milliseconds(100));
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, ErrorCode::kNotFound) << r.error->message;
}

TEST_F(IcmpProberTest, ForgetCompletesInFlightWithNotFound) {
  require_sockets("127.0.0.1");
  std::vector<ProbeResult> got;
  for (int i = 0; i < 3; ++i) {
    prober_->probe({"lo", addr("192.0.2.99"), milliseconds(5000)},
                   [&got](const ProbeResult& r) { got.push_back(r); });
  }
  prober_->forget("lo");
  EXPECT_EQ(prober_->in_flight(), 0u);
  EXPECT_FALSE(prober_->socket_kind("lo", IpFamily::kIPv4));
  io_.restart();
  io_.run_for(milliseconds(500));
  ASSERT_EQ(got.size(), 3u);
  for (const auto& r : got) EXPECT_EQ(r.error->code, ErrorCode::kNotFound);
  // And the next probe opens a new socket.
  EXPECT_TRUE(probe_once("lo", "127.0.0.1", milliseconds(1000)).ok);
}

TEST_F(IcmpProberTest, DestroyedWithProbesInFlightNeverCallsBack) {
  require_sockets("127.0.0.1");
  bool called = false;
  prober_->probe({"lo", addr("127.0.0.1"), milliseconds(100)},
                 [&called](const ProbeResult&) { called = true; });
  prober_->probe({"lo", addr("192.0.2.99"), milliseconds(100)},
                 [&called](const ProbeResult&) { called = true; });
  prober_->probe({"bad/name", addr("127.0.0.1"), milliseconds(100)},
                 [&called](const ProbeResult&) { called = true; });
  prober_.reset();
  io_.restart();
  io_.run_for(milliseconds(500));
  EXPECT_FALSE(called);
}

}  // namespace
}  // namespace wgtrack
