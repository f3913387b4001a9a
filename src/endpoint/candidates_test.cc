#include "endpoint/candidates.h"

#include <gtest/gtest.h>

#include "endpoint/endpoint_test_util.h"

namespace wgtrack::endpoint {
namespace {

using namespace test;
using Strings = std::vector<std::string>;

TEST(CandidateHosts, WgQuickEndpointFirstThenConfiguredOrderWithoutDuplicates) {
  const std::vector<HostPort> configured{hp("b.example:51820"), hp("vpn.example:51820"),
                                         hp("[2001:db8::7]:51820"), hp("b.example:51820")};
  const auto hosts = candidate_hosts(hp("vpn.example:51820"), configured);
  ASSERT_EQ(hosts.size(), 3u);
  EXPECT_EQ(hosts[0].to_string(), "vpn.example:51820");
  EXPECT_EQ(hosts[1].to_string(), "b.example:51820");
  EXPECT_EQ(hosts[2].host(), "2001:db8::7");
  EXPECT_EQ(candidate_hosts(std::nullopt, {}).size(), 0u);
  // Same name, other port: another candidate host.
  EXPECT_EQ(candidate_hosts(hp("a.example:1"), std::vector{hp("a.example:2")}).size(), 2u);
}

TEST(Candidates, DropsMappedAndUnspecifiedAddresses) {
  EXPECT_FALSE(usable_address(ep("[::ffff:192.0.2.1]:1")));
  EXPECT_FALSE(usable_address(ep("0.0.0.0:1")));
  EXPECT_FALSE(usable_address(ep("[::]:1")));
  EXPECT_TRUE(usable_address(ep("[::1]:1")));
  EXPECT_TRUE(usable_address(ep("[2001:db8::ffff:c000:201]:1")));
  EXPECT_TRUE(usable_address(ep("[64:ff9b::c000:201]:1")));  // NAT64 is a real route
  EXPECT_TRUE(usable_address(ep("192.0.2.1:1")));
}

TEST(Candidates, HostAddressesDeduplicatesAndTakesTheHostPort) {
  const DnsAnswer a = answer(
      {"2001:db8::1", "192.0.2.1", "::ffff:192.0.2.9", "2001:db8::1", "192.0.2.1", "0.0.0.0"});
  const HostAddresses h = host_addresses(hp("vpn.example:51820"), &a);
  EXPECT_EQ(strings(h.addresses), (Strings{"[2001:db8::1]:51820", "192.0.2.1:51820"}));
  // A literal stands for itself, whatever an answer says.
  const HostAddresses lit = host_addresses(hp("203.0.113.7:4500"), &a);
  EXPECT_EQ(strings(lit.addresses), (Strings{"203.0.113.7:4500"}));
  EXPECT_TRUE(host_addresses(hp("vpn.example:51820"), nullptr).addresses.empty());
}

TEST(Candidates, InterleavesFamiliesPerRfc8305) {
  const std::vector<Endpoint> resolver{ep("192.0.2.1:1"), ep("192.0.2.2:1"), ep("192.0.2.3:1"),
                                       ep("[2001:db8::1]:1"), ep("[2001:db8::2]:1")};
  EXPECT_EQ(
      strings(interleave(resolver, Prefer::kIPv6)),
      (Strings{"[2001:db8::1]:1", "192.0.2.1:1", "[2001:db8::2]:1", "192.0.2.2:1", "192.0.2.3:1"}));
  EXPECT_EQ(
      strings(interleave(resolver, Prefer::kIPv4)),
      (Strings{"192.0.2.1:1", "[2001:db8::1]:1", "192.0.2.2:1", "[2001:db8::2]:1", "192.0.2.3:1"}));
  EXPECT_EQ(strings(interleave(resolver, Prefer::kNone)), strings(resolver));
  // One family only: resolver order whatever the preference.
  const std::vector<Endpoint> v4{ep("192.0.2.2:1"), ep("192.0.2.1:1")};
  EXPECT_EQ(strings(interleave(v4, Prefer::kIPv6)), strings(v4));
}

TEST(Candidates, SeveralHostsKeepConfiguredOrderAndCountAnAddressOnce) {
  const DnsAnswer a = answer({"192.0.2.1", "2001:db8::1"});
  const DnsAnswer b = answer({"198.51.100.1", "192.0.2.1", "2001:db8::b"});
  const std::vector<HostAddresses> hosts{host_addresses(hp("a.example:51820"), &a),
                                         host_addresses(hp("b.example:51820"), &b),
                                         host_addresses(hp("203.0.113.7:51820"), nullptr)};
  MonoTime now{};
  const auto v6 = order_candidates(hosts, Prefer::kIPv6, nullptr, now);
  EXPECT_EQ(strings(v6), (Strings{"[2001:db8::1]:51820", "192.0.2.1:51820", "[2001:db8::b]:51820",
                                  "198.51.100.1:51820", "203.0.113.7:51820"}));
  EXPECT_EQ(v6[2].host_index, 1u);
  EXPECT_EQ(v6[4].host_index, 2u);
  EXPECT_EQ(strings(order_candidates(hosts, Prefer::kIPv4, nullptr, now)),
            (Strings{"192.0.2.1:51820", "[2001:db8::1]:51820", "198.51.100.1:51820",
                     "[2001:db8::b]:51820", "203.0.113.7:51820"}));
  EXPECT_EQ(strings(order_candidates(hosts, Prefer::kNone, nullptr, now)),
            (Strings{"192.0.2.1:51820", "[2001:db8::1]:51820", "198.51.100.1:51820",
                     "[2001:db8::b]:51820", "203.0.113.7:51820"}));
}

TEST(Candidates, RecentlyFailedCandidateGoesToTheBackUntilItsBackoffEnds) {
  const DnsAnswer a = answer({"2001:db8::1", "192.0.2.1", "192.0.2.2"});
  const std::vector<HostAddresses> hosts{host_addresses(hp("a.example:51820"), &a)};
  CandidateBackoff backoff;
  const MonoTime t0{std::chrono::hours(1)};
  backoff.fail(ep("[2001:db8::1]:51820"), t0);
  EXPECT_EQ(strings(order_candidates(hosts, Prefer::kIPv6, &backoff, t0 + 29s)),
            (Strings{"192.0.2.1:51820", "192.0.2.2:51820", "[2001:db8::1]:51820"}));
  EXPECT_EQ(strings(order_candidates(hosts, Prefer::kIPv6, &backoff, t0 + 30s)),
            (Strings{"[2001:db8::1]:51820", "192.0.2.1:51820", "192.0.2.2:51820"}));
}

TEST(Candidates, PreferAndProbeWords) {
  EXPECT_EQ(parse_prefer("ipv4"), Prefer::kIPv4);
  EXPECT_EQ(parse_prefer("none"), Prefer::kNone);
  EXPECT_FALSE(parse_prefer("IPv6x"));
  EXPECT_STREQ(to_string(Prefer::kIPv6), "ipv6");
  EXPECT_EQ(parse_probe_method("handshake"), ProbeMethod::kHandshake);
  EXPECT_FALSE(parse_probe_method("tcp"));
}

}  // namespace
}  // namespace wgtrack::endpoint
