#include "support/fake_resolver.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wgtrack::testing {
namespace {

using endpoint::HostAnswer;

TEST(FakeResolver, ScriptedAnswersArriveOnlyAtDeliver) {
  FakeResolver dns;
  dns.set_answer("vpn.test", FakeResolver::answer({{"2001:db8::7", 42}, {"198.51.100.7", 42}}));
  dns.push_answer("vpn.test", FakeResolver::timeout("vpn.test"));
  std::vector<std::string> got;
  auto record = [&got](HostAnswer a) {
    got.push_back(a.ok() ? std::to_string(a->addresses.size()) + " addresses" : a.error().message);
  };
  dns.resolve("vpn.test", record);
  dns.resolve("vpn.test", record);
  dns.resolve("other.test", record);
  EXPECT_TRUE(got.empty());
  EXPECT_EQ(dns.pending(), 3u);
  EXPECT_EQ(dns.deliver("other.test"), 1u);
  EXPECT_EQ(got, (std::vector<std::string>{"fake: no such host"}));
  EXPECT_EQ(dns.deliver(), 2u);
  EXPECT_EQ(got, (std::vector<std::string>{"fake: no such host", "vpn.test: DNS timeout (fake)",
                                           "2 addresses"}));
  EXPECT_EQ(dns.calls, (std::vector<std::string>{"vpn.test", "vpn.test", "other.test"}));
}

TEST(FakeResolver, RequestsMadeByCallbacksWaitForTheNextDeliver) {
  FakeResolver dns;
  dns.set_default(FakeResolver::answer({{"192.0.2.1", 5}}));
  int done = 0;
  dns.resolve("a", [&](HostAnswer) {
    ++done;
    dns.resolve("b", [&](HostAnswer) { ++done; });
  });
  EXPECT_EQ(dns.deliver(), 1u);
  EXPECT_EQ(done, 1);
  EXPECT_EQ(dns.pending(), 1u);
  dns.drop_pending();
  EXPECT_EQ(dns.deliver(), 0u);
  EXPECT_EQ(done, 1);
}

}  // namespace
}  // namespace wgtrack::testing
