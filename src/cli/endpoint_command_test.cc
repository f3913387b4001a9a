#include "cli/endpoint_command.h"

#include <gtest/gtest.h>

#include <sstream>

#include "support/fake_backend.h"
#include "support/fake_prober.h"
#include "support/fake_resolver.h"

namespace wgtrack {
namespace {

using testing::FakeBackend;
using testing::FakeProber;
using testing::FakeResolver;
using namespace std::chrono_literals;

const char* kKey = "fFZZy7EIFsMwoOLXJgeJOV3S0XAB9VaW7Ig7Dq12zCI=";
const char* kOther = "hJpMO8QqkDRZpq3EE+WGZLFJqZkziL/z4pZprap4U1k=";

Endpoint ep(const char* text) { return *Endpoint::parse(text); }
Endpoint addr(const char* text) { return *Endpoint::parse_address(text, 0); }

endpoint::DnsAnswer dns(std::initializer_list<const char*> addresses) {
  endpoint::DnsAnswer a;
  for (const char* t : addresses) a.addresses.push_back({addr(t), 300s});
  return a;
}

class EndpointCommandTest : public ::testing::Test {
 protected:
  EndpointCommandTest() {
    Device d;
    d.name = "wg0";
    Peer first;  // wireguard_endpoint_manager.py read this one's endpoint, whatever --peer said
    first.public_key = *PublicKey::from_base64(kOther);
    first.endpoint = ep("203.0.113.1:51820");
    Peer mine;
    mine.public_key = *PublicKey::from_base64(kKey);
    mine.endpoint = ep("[2001:db8::1]:51820");
    d.peers = {first, mine};
    backend.put(d);
    options.interface = "wg0";
    options.peer = kKey;
    options.host = "peer.example";
    options.port = 51820;
  }
  int run() {
    auto pump = [this] { return resolver.deliver() + prober.deliver() > 0; };
    return run_endpoint(options, backend, resolver, prober, pump, out, err);
  }

  FakeBackend backend;
  FakeResolver resolver;
  FakeProber prober;
  EndpointOptions options;
  std::ostringstream out, err;
};

TEST_F(EndpointCommandTest, Ipv6DeadFallsBackToIpv4WithTheCronScriptsWords) {
  resolver.set_answer("peer.example", dns({"203.0.113.1", "2001:db8::1"}));
  prober.set_result(addr("2001:db8::1"), FakeProber::lost());
  EXPECT_EQ(run(), 0) << err.str();
  EXPECT_EQ(out.str(),
            "Candidate addresses: ['2001:db8::1', '203.0.113.1']\n"
            "2001:db8::1 is not reachable\n"
            "203.0.113.1 is reachable\n"
            "All reachable addresses: ['203.0.113.1']\n"
            "Chosen endpoint is 203.0.113.1:51820\n"
            "Existing endpoint is [2001:db8::1]:51820\n"
            "Updating wg0 peer " +
                std::string(kKey) +
                " endpoint 203.0.113.1:51820\n"
                "Done updating wg0 peer " +
                std::string(kKey) + " endpoint 203.0.113.1:51820\n");
  ASSERT_EQ(backend.updates.size(), 1u);
  EXPECT_EQ(backend.updates[0].update.public_key.to_base64(), kKey);
  EXPECT_EQ(backend.updates[0].update.endpoint.to_string(), "203.0.113.1:51820");
  // Probes were routed (no interface) and in parallel: both candidates were asked before any
  // answer came back (one after the other, the dead one would have been retried first); the
  // dead one was tried three times.
  ASSERT_GE(prober.requests.size(), 2u);
  EXPECT_EQ(prober.requests[0].target.address_string(), "2001:db8::1");
  EXPECT_EQ(prober.requests[1].target.address_string(), "203.0.113.1");
  int v6 = 0;
  for (const auto& r : prober.requests) {
    EXPECT_EQ(r.interface, "");
    v6 += r.target.address_string() == "2001:db8::1";
  }
  EXPECT_EQ(v6, 3);
}

TEST_F(EndpointCommandTest, NothingToDoComparesThisPeersEndpoint) {
  // The first peer of wg0 sits on 203.0.113.1, ours on 2001:db8::1 (reachable, preferred).
  resolver.set_answer("peer.example", dns({"203.0.113.1", "2001:db8::1"}));
  EXPECT_EQ(run(), 0);
  EXPECT_NE(out.str().find("Chosen endpoint is [2001:db8::1]:51820\n"), std::string::npos);
  EXPECT_NE(out.str().find("Nothing to do: endpoint is already [2001:db8::1]:51820\n"),
            std::string::npos)
      << out.str();
  EXPECT_TRUE(backend.updates.empty());
}

TEST_F(EndpointCommandTest, DryRunWritesNothing) {
  resolver.set_answer("peer.example", dns({"198.51.100.7"}));
  options.dry_run = true;
  EXPECT_EQ(run(), 0);
  EXPECT_NE(out.str().find("DRY RUN: Would have updated wg0 peer " + std::string(kKey) +
                           " endpoint 198.51.100.7:51820\n"),
            std::string::npos)
      << out.str();
  EXPECT_TRUE(backend.updates.empty());
}

TEST_F(EndpointCommandTest, PreferIpv4AndNone) {
  resolver.set_answer("peer.example", dns({"2001:db8::9", "198.51.100.7", "2001:db8::1"}));
  options.prefer = "ipv4";
  options.dry_run = true;
  EXPECT_EQ(run(), 0);
  EXPECT_EQ(out.str().substr(0, out.str().find('\n')),
            "Candidate addresses: ['198.51.100.7', '2001:db8::9', '2001:db8::1']");
  EXPECT_NE(out.str().find("Chosen endpoint is 198.51.100.7:51820"), std::string::npos);
  out.str("");
  options.prefer = "none";
  EXPECT_EQ(run(), 0);
  EXPECT_NE(out.str().find("Chosen endpoint is [2001:db8::9]:51820"), std::string::npos);
}

TEST_F(EndpointCommandTest, ExitCodesOfTheCronScript) {
  resolver.set_answer("peer.example",
                      Error(ErrorCode::kPermanent, "peer.example: no such host (NXDOMAIN)"));
  EXPECT_EQ(run(), kExitNoAddress);
  EXPECT_NE(out.str().find("No addresses resolved for peer.example."), std::string::npos);
  out.str("");
  resolver.set_answer("peer.example", dns({"198.51.100.7", "2001:db8::1"}));
  prober.set_default(FakeProber::lost());
  EXPECT_EQ(run(), kExitNoneReachable);
  EXPECT_NE(out.str().find("None of the tested endpoints (['2001:db8::1', '198.51.100.7']) were "
                           "reachable."),
            std::string::npos)
      << out.str();
  EXPECT_TRUE(backend.updates.empty());
}

TEST_F(EndpointCommandTest, UnknownPeerOrInterfaceIsAnErrorNotAGuess) {
  resolver.set_answer("peer.example", dns({"198.51.100.7"}));
  options.peer = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  EXPECT_EQ(run(), 1);
  EXPECT_NE(err.str().find("is not on wg0"), std::string::npos) << err.str();
  options.peer = kKey;
  options.interface = "wg9";
  EXPECT_EQ(run(), 1);
  options.peer = "not-a-key";
  EXPECT_EQ(run(), 1);
  EXPECT_TRUE(backend.updates.empty());
}

TEST_F(EndpointCommandTest, IpLiteralHostNeedsNoDns) {
  options.host = "2001:db8::5";
  options.dry_run = true;
  resolver.set_default(Error(ErrorCode::kTransient, "must not be needed"));
  EXPECT_EQ(run(), 0) << out.str();
  EXPECT_NE(out.str().find("Candidate addresses: ['2001:db8::5']"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace wgtrack
