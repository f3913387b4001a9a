#include "endpoint/selection.h"

#include <gtest/gtest.h>

#include "endpoint/endpoint_test_util.h"

namespace wgtrack::endpoint {
namespace {

using namespace test;
using Strings = std::vector<std::string>;
using Kind = Selection::Kind;

std::vector<Candidate> cands(std::initializer_list<std::string_view> eps) {
  std::vector<Candidate> out;
  for (auto e : eps) out.push_back(Candidate{ep(e), 0});
  return out;
}

std::vector<CandidateProbe> probes(const std::vector<Candidate>& cs,
                                   std::initializer_list<std::string_view> reachable) {
  std::vector<CandidateProbe> out;
  for (const auto& c : cs) {
    bool ok = false;
    for (auto r : reachable) ok = ok || c.endpoint == ep(r);
    out.push_back({c.endpoint, ok});
  }
  return out;
}

TEST(Selection, ProbesStartStaggeredByTheConnectionAttemptDelay) {
  const auto cs = cands({"[2001:db8::1]:1", "192.0.2.1:1", "[2001:db8::2]:1", "192.0.2.2:1"});
  const MonoTime t{100s};
  const auto starts = stagger_probes(cs, t, kDefaultAttemptDelay);
  ASSERT_EQ(starts.size(), 4u);
  for (std::size_t i = 0; i < starts.size(); ++i) {
    EXPECT_EQ(starts[i].address, cs[i].endpoint);
    EXPECT_EQ(starts[i].start, t + 250ms * static_cast<int>(i));
  }
  EXPECT_EQ(stagger_probes(cs, t, 100ms, 2).size(), 2u);
}

TEST(Selection, HealthyLinkIsNeverMoved) {
  const auto cs = cands({"[2001:db8::1]:1", "192.0.2.1:1"});
  // Even with its current endpoint silent to ICMP and a better one answering.
  const auto rs = probes(cs, {"[2001:db8::1]:1"});
  const Selection s = select_endpoint({cs, rs, ep("192.0.2.1:1"), /*link_down=*/false});
  EXPECT_EQ(s.kind, Kind::kKeep);
  EXPECT_TRUE(s.try_list.empty());
  // A roamed endpoint (not a candidate) on a healthy link: kept too.
  EXPECT_EQ(select_endpoint({cs, rs, ep("198.51.100.9:7"), false}).kind, Kind::kKeep);
}

TEST(Selection, DownLinkStaysOnItsReachableCurrentEndpoint) {
  // Round-robin DNS put another address first: the current one still answers, so stay.
  const auto cs = cands({"192.0.2.2:1", "192.0.2.1:1", "192.0.2.3:1"});
  const auto rs = probes(cs, {"192.0.2.1:1", "192.0.2.2:1", "192.0.2.3:1"});
  const Selection s = select_endpoint({cs, rs, ep("192.0.2.1:1"), true});
  EXPECT_EQ(s.kind, Kind::kStay);
  EXPECT_EQ(strings(s.try_list), (Strings{"192.0.2.1:1", "192.0.2.2:1", "192.0.2.3:1"}));
}

TEST(Selection, BlackHoledIpv6FallsBackToIpv4) {
  const auto cs = cands({"[2001:db8::1]:1", "192.0.2.1:1"});
  const auto rs = probes(cs, {"192.0.2.1:1"});
  const Selection s = select_endpoint({cs, rs, ep("[2001:db8::1]:1"), true});
  EXPECT_EQ(s.kind, Kind::kSwitch);
  EXPECT_EQ(strings(s.try_list), (Strings{"192.0.2.1:1"}));
}

TEST(Selection, FirstReachableInPreferenceOrderNotFirstToAnswer) {
  const auto cs = cands({"192.0.2.1:1", "192.0.2.2:1", "192.0.2.3:1"});
  // Results arrive in any order; the preference order decides.
  std::vector<CandidateProbe> rs{
      {ep("192.0.2.3:1"), true}, {ep("192.0.2.1:1"), false}, {ep("192.0.2.2:1"), true}};
  const Selection s = select_endpoint({cs, rs, ep("192.0.2.1:1"), true});
  EXPECT_EQ(strings(s.try_list), (Strings{"192.0.2.2:1", "192.0.2.3:1"}));
}

TEST(Selection, NothingReachable) {
  const auto cs = cands({"192.0.2.1:1", "192.0.2.2:1"});
  const Selection s = select_endpoint({cs, probes(cs, {}), ep("192.0.2.1:1"), true});
  EXPECT_EQ(s.kind, Kind::kNone);
  EXPECT_TRUE(s.try_list.empty());
}

TEST(Selection, HandshakeProbeTriesIcmpSilentCandidatesAfterTheReachableOnes) {
  const auto cs = cands({"[2001:db8::1]:1", "192.0.2.1:1", "192.0.2.2:1", "192.0.2.3:1"});
  const auto rs = probes(cs, {"192.0.2.2:1"});
  SelectionInput in{cs, rs, ep("192.0.2.3:1"), true, ProbeMethod::kHandshake};
  const Selection s = select_endpoint(in);
  EXPECT_EQ(s.kind, Kind::kSwitch);
  // Reachable first; then the silent ones in order; never the failing current endpoint.
  EXPECT_EQ(strings(s.try_list), (Strings{"192.0.2.2:1", "[2001:db8::1]:1", "192.0.2.1:1"}));
  // The same with ICMP: silent candidates are ruled out.
  in.method = ProbeMethod::kIcmp;
  EXPECT_EQ(strings(select_endpoint(in).try_list), (Strings{"192.0.2.2:1"}));
  // Nothing answers ICMP at all: with kHandshake there is still something to try.
  const auto none = probes(cs, {});
  EXPECT_EQ(select_endpoint({cs, none, ep("192.0.2.3:1"), true, ProbeMethod::kHandshake}).kind,
            Kind::kSwitch);
}

}  // namespace
}  // namespace wgtrack::endpoint
