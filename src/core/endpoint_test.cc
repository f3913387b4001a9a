#include "core/endpoint.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

namespace wgtrack {
namespace {

TEST(IpPrefix, NetworkClearsTheHostBitsOnly) {
  EXPECT_EQ(IpPrefix::parse("172.25.1.1/24")->network().to_string(), "172.25.1.0/24");
  EXPECT_EQ(IpPrefix::parse("172.25.1.1/24")->to_string(), "172.25.1.1/24");  // parse keeps them
  EXPECT_EQ(IpPrefix::parse("10.255.255.255/9")->network().to_string(), "10.128.0.0/9");
  EXPECT_EQ(IpPrefix::parse("10.0.0.2/32")->network().to_string(), "10.0.0.2/32");
  EXPECT_EQ(IpPrefix::parse("1.2.3.4/0")->network().to_string(), "0.0.0.0/0");
  EXPECT_EQ(IpPrefix::parse("fd08:5771:2371::1/64")->network().to_string(), "fd08:5771:2371::/64");
  EXPECT_EQ(IpPrefix::parse("2001:db8::ffff/127")->network().to_string(), "2001:db8::fffe/127");
}

TEST(Endpoint, ParsesIpv4) {
  auto e = Endpoint::parse("192.0.2.1:51820");
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ(e->family(), IpFamily::kIPv4);
  EXPECT_EQ(e->port(), 51820);
  EXPECT_EQ(e->to_string(), "192.0.2.1:51820");
  EXPECT_EQ(e->address_string(), "192.0.2.1");
}

TEST(Endpoint, ParsesIpv6WithBracketsAndCanonicalises) {
  auto e = Endpoint::parse("[2001:DB8:0::1]:1");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->family(), IpFamily::kIPv6);
  EXPECT_EQ(e->to_string(), "[2001:db8::1]:1");
  EXPECT_EQ(e->address_string(), "2001:db8::1");
}

TEST(Endpoint, ParsesScopes) {
  auto named = Endpoint::parse("[fe80::1%eth0]:51820");
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named->zone(), "eth0");
  EXPECT_EQ(named->scope_id(), 0u);
  EXPECT_EQ(named->to_string(), "[fe80::1%eth0]:51820");
  auto numeric = Endpoint::parse("[fe80::1%3]:51820");
  ASSERT_TRUE(numeric.ok());
  EXPECT_EQ(numeric->scope_id(), 3u);
  EXPECT_EQ(numeric->zone(), "");
  EXPECT_EQ(numeric->to_string(), "[fe80::1%3]:51820");
}

TEST(Endpoint, ZoneNameIsPrintedInPlaceOfTheIndex) {
  auto e = Endpoint::parse("[fe80::1%7]:51820")->with_zone("veth1");
  EXPECT_EQ(e.scope_id(), 7u);
  EXPECT_EQ(e.to_string(), "[fe80::1%veth1]:51820");
  EXPECT_EQ(e.with_scope_id(8).to_string(), "[fe80::1%8]:51820");
  EXPECT_EQ(Endpoint::parse("192.0.2.1:1")->with_zone("eth0").to_string(), "192.0.2.1:1");
}

// Linux interface names may hold any byte >= 0x80 (and ESC): such a name is not printed, the
// index is, so an endpoint's text is always printable ASCII in every output.
TEST(Endpoint, UnprintableZoneNameKeepsTheIndex) {
  const auto e = *Endpoint::parse("[fe80::1%7]:51820");
  for (const char* name : {"wg\xFF", "caf\xC3\xA9", "ctl\x1b[31m", "a b", "x/y", ""}) {
    const Endpoint z = e.with_zone(name);
    EXPECT_EQ(z.to_string(), "[fe80::1%7]:51820") << name;
    EXPECT_EQ(z.zone(), "");
  }
}

TEST(Endpoint, RejectsMalformed) {
  for (const char* bad : {"", "192.0.2.1", "192.0.2.1:", "192.0.2.1:0", "192.0.2.1:65536",
                          "192.0.2.1:-1", "192.0.2.1:+5", "2001:db8::1:51820", "[2001:db8::1]",
                          "[2001:db8::1]51820", "[192.0.2.1]:1", "[fe80::1%]:1",
                          "[fe80::1%a b]:1", "192.0.2.1%eth0:1", "300.0.2.1:1", "host:1",
                          "[fe80::1%verylonginterfacename0]:1"}) {
    EXPECT_FALSE(Endpoint::parse(bad).ok()) << bad;
  }
}

TEST(Endpoint, PortZeroOnlyWhereAllowed) {
  constexpr auto kAllowed = Endpoint::PortZero::kAllowed;
  auto v4 = Endpoint::parse("127.0.0.1:0", kAllowed);
  ASSERT_TRUE(v4.ok()) << v4.error().message;
  EXPECT_EQ(v4->port(), 0);
  EXPECT_EQ(v4->to_string(), "127.0.0.1:0");
  auto v6 = Endpoint::parse("[::1]:0", kAllowed);
  ASSERT_TRUE(v6.ok()) << v6.error().message;
  EXPECT_EQ(v6->to_string(), "[::1]:0");
  EXPECT_EQ(Endpoint::parse("127.0.0.1:9586", kAllowed)->port(), 9586);
  for (const char* bad : {"127.0.0.1:", "127.0.0.1:00", "127.0.0.1:65536", "[::1]0", "::1:0",
                          "localhost:0", "127.0.0.1:-0"}) {
    EXPECT_FALSE(Endpoint::parse(bad, kAllowed).ok()) << bad;
  }
  EXPECT_FALSE(Endpoint::parse("127.0.0.1:0").ok());  // the default: a peer endpoint
  EXPECT_THAT(Endpoint::parse("127.0.0.1:70000", kAllowed).error().message,
              ::testing::HasSubstr("0-65535"));
}

TEST(Endpoint, Ipv4FormsMatchInetPton) {
  for (const char* ok : {"0.0.0.0:1", "255.255.255.255:1", "192.0.2.10:1", "10.0.0.0:1"}) {
    EXPECT_TRUE(Endpoint::parse(ok).ok()) << ok;
  }
  for (const char* bad : {"1.2.3:1", "1.2.3.4.5:1", "256.1.1.1:1", "01.1.1.1:1", "1..2.3:1",
                          "1.2.3.4 :1", " 1.2.3.4:1", "1.2.3.0004:1", "1.2.3.a:1", ".1.2.3:1"}) {
    EXPECT_FALSE(Endpoint::parse(bad).ok()) << bad;
  }
  EXPECT_EQ(Endpoint::parse("203.0.113.250:9")->to_string(), "203.0.113.250:9");
}

TEST(Endpoint, ErrorMessagesDoNotEchoControlCharacters) {
  auto e = Endpoint::parse("evil\nline:1");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message.find('\n'), std::string::npos);
}

TEST(Endpoint, SockaddrRoundTrip) {
  for (const char* text : {"192.0.2.1:51820", "[2001:db8::7]:443", "[fe80::1%4]:9"}) {
    auto e = *Endpoint::parse(text);
    sockaddr_storage ss;
    const std::size_t len = e.to_sockaddr(ss);
    auto back = Endpoint::from_sockaddr(&ss, len);
    ASSERT_TRUE(back.ok()) << text;
    EXPECT_EQ(back->to_string(), text);
    EXPECT_EQ(*back, e);
  }
}

TEST(Endpoint, FromSockaddrRejectsWrongSizes) {
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  EXPECT_FALSE(Endpoint::from_sockaddr(&sin, sizeof sin - 1).ok());
  EXPECT_FALSE(Endpoint::from_sockaddr(&sin, 1).ok());
  sockaddr_in6 sin6{};
  sin6.sin6_family = AF_INET6;
  EXPECT_FALSE(Endpoint::from_sockaddr(&sin6, sizeof sin).ok());
  sin6.sin6_family = AF_UNIX;
  EXPECT_EQ(Endpoint::from_sockaddr(&sin6, sizeof sin6).error().code, ErrorCode::kProtocol);
}

// append_ip must print exactly what inet_ntop prints (wg(8) output is compared to ours).
std::string ntop(IpFamily f, const std::uint8_t* a) {
  char buf[INET6_ADDRSTRLEN];
  inet_ntop(f == IpFamily::kIPv4 ? AF_INET : AF_INET6, a, buf, sizeof buf);
  return buf;
}

TEST(AppendIp, MatchesInetNtopOnSpecialAndRandomAddresses) {
  std::vector<std::array<std::uint8_t, 16>> cases;
  const char* special[] = {"::", "::1", "::2", "::ffff:1.2.3.4", "::1.2.3.4", "::0.0.0.1", "1::",
                           "2001:db8::1", "2001:db8:0:0:1:0:0:1", "2001:0:0:1::1", "fe80::1",
                           "1:0:1:0:1:0:1:0", "0:0:1::", "::ffff:0:1", "::fffe:1.2.3.4",
                           "1:2:3:4:5:6:7:8", "0:1:2:3:4:5:6:7", "::ffff:0.0.0.0"};
  for (const char* t : special) {
    std::array<std::uint8_t, 16> a{};
    ASSERT_EQ(inet_pton(AF_INET6, t, a.data()), 1) << t;
    cases.push_back(a);
  }
  std::mt19937 rng(42);
  for (int i = 0; i < 20000; ++i) {
    std::array<std::uint8_t, 16> a{};
    for (int g = 0; g < 8; ++g) {  // mostly zero groups, to hit every compression case
      const auto v = (rng() % 3 == 0) ? rng() & 0xffff : 0;
      a[2 * g] = static_cast<std::uint8_t>(v >> 8);
      a[2 * g + 1] = static_cast<std::uint8_t>(v);
    }
    cases.push_back(a);
  }
  for (const auto& a : cases) {
    std::string ours;
    append_ip(ours, IpFamily::kIPv6, a.data());
    ASSERT_EQ(ours, ntop(IpFamily::kIPv6, a.data()));
  }
  for (int i = 0; i < 20000; ++i) {
    const std::uint32_t v = rng();
    const std::uint8_t a[4] = {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
                               static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(i % 256)};
    std::string ours;
    append_ip(ours, IpFamily::kIPv4, a);
    ASSERT_EQ(ours, ntop(IpFamily::kIPv4, a));
  }
}

TEST(IpPrefix, ParsesAndPrints) {
  auto p = IpPrefix::parse("10.0.0.2/32");
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->is_host());
  EXPECT_EQ(p->to_string(), "10.0.0.2/32");
  auto n = *IpPrefix::parse("10.0.0.0/24");
  EXPECT_FALSE(n.is_host());
  auto v6 = *IpPrefix::parse("2001:db8::/64");
  EXPECT_EQ(v6.to_string(), "2001:db8::/64");
  EXPECT_TRUE(IpPrefix::parse("2001:db8::7/128")->is_host());
  EXPECT_EQ(IpPrefix::parse("0.0.0.0/0")->cidr(), 0);
  EXPECT_EQ(IpPrefix::parse("192.0.2.9")->to_string(), "192.0.2.9/32");
}

TEST(IpPrefix, RejectsMalformed) {
  for (const char* bad : {"", "/24", "10.0.0.0/33", "2001:db8::/129", "10.0.0.0/", "10.0.0.0/x",
                          "10.0.0/24", "10.0.0.0/-1"}) {
    EXPECT_FALSE(IpPrefix::parse(bad).ok()) << bad;
  }
  const std::uint8_t a[16] = {};
  EXPECT_FALSE(IpPrefix::make(IpFamily::kIPv4, a, 33).ok());
  EXPECT_TRUE(IpPrefix::make(IpFamily::kIPv6, a, 128).ok());
}

}  // namespace
}  // namespace wgtrack
