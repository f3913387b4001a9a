#include "core/host_port.h"

#include <gtest/gtest.h>

namespace wgtrack {
namespace {

TEST(HostPort, ParsesNames) {
  auto hp = HostPort::parse("vpn.example.net:51820");
  ASSERT_TRUE(hp.ok()) << hp.error().message;
  EXPECT_EQ(hp->host(), "vpn.example.net");
  EXPECT_EQ(hp->port(), 51820);
  EXPECT_FALSE(hp->literal().has_value());
  EXPECT_EQ(hp->to_string(), "vpn.example.net:51820");
}

TEST(HostPort, ParsesLiterals) {
  auto v4 = *HostPort::parse("203.0.113.7:51820");
  ASSERT_TRUE(v4.literal().has_value());
  EXPECT_EQ(v4.literal()->to_string(), "203.0.113.7:51820");
  auto v6 = HostPort::parse("[2001:db8::7]:51820");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host(), "2001:db8::7");
  EXPECT_EQ(v6->to_string(), "[2001:db8::7]:51820");
  EXPECT_EQ(v6->literal()->family(), IpFamily::kIPv6);
}

TEST(HostPort, RejectsMalformed) {
  for (const char* bad : {"", "host", ":51820", "host:", "host:0", "host:70000", "2001:db8::7:1",
                          "bad host:1", "-lead.example:1", "trail-.example:1", "a..b:1",
                          "[2001:db8::7]", "ex\nample:1"}) {
    EXPECT_FALSE(HostPort::parse(bad).ok()) << bad;
  }
}

TEST(Hostname, Rules) {
  EXPECT_TRUE(is_valid_hostname("example.net."));
  EXPECT_TRUE(is_valid_hostname("a-b.c_d.example"));
  EXPECT_FALSE(is_valid_hostname(std::string(64, 'a') + ".net"));
  EXPECT_TRUE(is_valid_hostname(std::string(63, 'a') + ".net"));
  EXPECT_FALSE(is_valid_hostname(std::string(254, 'a')));
  EXPECT_FALSE(is_valid_hostname("."));
}

}  // namespace
}  // namespace wgtrack
