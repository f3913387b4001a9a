#include "resolver/ares_answer.h"

#include <ares.h>
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <deque>
#include <string>
#include <vector>

namespace wgtrack {
namespace {

using endpoint::is_permanent_dns_error;
using endpoint::ResolvedAddress;
using std::chrono::seconds;

// A hand-built ares_addrinfo_node list (the structs are plain C).
class Nodes {
 public:
  Nodes& v4(const char* text, int ttl) {
    auto& sin = v4s_.emplace_back();
    sin.sin_family = AF_INET;
    sin.sin_port = htons(51820);
    inet_pton(AF_INET, text, &sin.sin_addr);
    push(AF_INET, reinterpret_cast<sockaddr*>(&sin), sizeof sin, ttl);
    return *this;
  }
  Nodes& v6(const char* text, int ttl) {
    auto& sin6 = v6s_.emplace_back();
    sin6.sin6_family = AF_INET6;
    inet_pton(AF_INET6, text, &sin6.sin6_addr);
    push(AF_INET6, reinterpret_cast<sockaddr*>(&sin6), sizeof sin6, ttl);
    return *this;
  }
  Nodes& other_family() {
    push(AF_UNIX, nullptr, 0, 5);
    return *this;
  }
  const ares_addrinfo_node* head() {
    for (std::size_t i = 0; i + 1 < nodes_.size(); ++i) nodes_[i].ai_next = &nodes_[i + 1];
    return nodes_.empty() ? nullptr : &nodes_[0];
  }

 private:
  void push(int family, sockaddr* addr, std::size_t len, int ttl) {
    ares_addrinfo_node n{};
    n.ai_family = family;
    n.ai_ttl = ttl;
    n.ai_addr = addr;
    n.ai_addrlen = static_cast<ares_socklen_t>(len);
    nodes_.push_back(n);
  }
  std::deque<sockaddr_in> v4s_;  // deque: addresses stay put as it grows
  std::deque<sockaddr_in6> v6s_;
  std::vector<ares_addrinfo_node> nodes_;
};

std::vector<std::string> texts(const std::vector<ResolvedAddress>& as) {
  std::vector<std::string> out;
  for (const auto& a : as)
    out.push_back(a.address.address_string() + "/" + std::to_string(a.ttl.count()));
  return out;
}

TEST(AresStatusError, PermanentAndTransient) {
  struct Case {
    int status;
    ErrorCode code;
    const char* message;
  };
  const Case cases[] = {
      {ARES_ENOTFOUND, ErrorCode::kPermanent, "vpn.test: no such host"},
      {ARES_ENODATA, ErrorCode::kPermanent, "vpn.test: no AAAA record"},
      {ARES_EBADNAME, ErrorCode::kPermanent, "vpn.test: not a valid host name"},
      {ARES_ETIMEOUT, ErrorCode::kTransient, "vpn.test: DNS timeout (AAAA)"},
      {ARES_ECONNREFUSED, ErrorCode::kTransient, nullptr},
      {ARES_ESERVFAIL, ErrorCode::kTransient, nullptr},
      {ARES_EREFUSED, ErrorCode::kTransient, nullptr},
      {ARES_EFORMERR, ErrorCode::kTransient, nullptr},
      {ARES_ENOMEM, ErrorCode::kTransient, nullptr},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.status);
    Error e = ares_status_error(c.status, "vpn.test", IpFamily::kIPv6);
    EXPECT_EQ(e.code, c.code);
    EXPECT_EQ(is_permanent_dns_error(e), c.code == ErrorCode::kPermanent);
    EXPECT_EQ(ares_status_is_permanent(c.status), c.code == ErrorCode::kPermanent);
    if (c.message) {
      EXPECT_EQ(e.message, c.message);
    }
    EXPECT_EQ(e.message.rfind("vpn.test: ", 0), 0u) << e.message;
  }
  EXPECT_EQ(ares_status_error(ARES_ENODATA, "h", IpFamily::kIPv4).message, "h: no A record");
  EXPECT_EQ(ares_status_error(ARES_ESERVFAIL, "h", IpFamily::kIPv4).message,
            std::string("h: ") + ares_strerror(ARES_ESERVFAIL) + " (A)");
}

TEST(AddressesFromAddrinfo, KeepsOrderTtlsAndDropsPort) {
  Nodes n;
  n.v6("2001:db8::7", 42).v4("198.51.100.7", 300).v4("198.51.100.8", 0);
  auto as = addresses_from_addrinfo(n.head());
  EXPECT_EQ(texts(as),
            (std::vector<std::string>{"2001:db8::7/42", "198.51.100.7/300", "198.51.100.8/0"}));
  for (const auto& a : as) EXPECT_EQ(a.address.port(), 0);
  EXPECT_EQ(as[1].address.family(), IpFamily::kIPv4);
}

TEST(AddressesFromAddrinfo, NegativeTtlIsZeroDuplicatesKeepShorterTtlOtherFamiliesSkipped) {
  Nodes n;
  n.v4("192.0.2.1", -5).other_family().v4("192.0.2.2", 60).v4("192.0.2.2", 30).v4("192.0.2.2", 90);
  EXPECT_EQ(texts(addresses_from_addrinfo(n.head())),
            (std::vector<std::string>{"192.0.2.1/0", "192.0.2.2/30"}));
  EXPECT_TRUE(addresses_from_addrinfo(nullptr).empty());
}

FamilyLookup ok(std::vector<std::pair<const char*, int>> as) {
  FamilyLookup f;
  for (auto [text, ttl] : as) {
    f.addresses.push_back({*Endpoint::parse_address(text, 0), seconds(ttl)});
  }
  return f;
}
FamilyLookup failed(int status) { return {status, {}}; }

TEST(CombineLookups, BothFamiliesAaaaFirst) {
  auto c = combine_lookups("h", ok({{"2001:db8::7", 42}}), ok({{"198.51.100.7", 42}}));
  ASSERT_TRUE(c.answer.ok());
  EXPECT_EQ(texts(c.answer->addresses),
            (std::vector<std::string>{"2001:db8::7/42", "198.51.100.7/42"}));
  EXPECT_FALSE(c.partial);
}

TEST(CombineLookups, OneFamilyWithoutRecordsIsNotPartial) {
  for (int status : {ARES_ENODATA, ARES_ENOTFOUND}) {
    auto c = combine_lookups("h", failed(status), ok({{"198.51.100.7", 5}}));
    ASSERT_TRUE(c.answer.ok());
    EXPECT_EQ(c.answer->addresses.size(), 1u);
    EXPECT_FALSE(c.partial);
  }
  auto empty = combine_lookups("h", ok({}), ok({{"198.51.100.7", 5}}));
  ASSERT_TRUE(empty.answer.ok());
  EXPECT_FALSE(empty.partial);
}

TEST(CombineLookups, TransientFailureOfOneFamilyIsAPartialAnswer) {
  auto c = combine_lookups("h", failed(ARES_ETIMEOUT), ok({{"198.51.100.7", 42}}));
  ASSERT_TRUE(c.answer.ok());
  EXPECT_EQ(texts(c.answer->addresses), (std::vector<std::string>{"198.51.100.7/42"}));
  ASSERT_TRUE(c.partial);
  EXPECT_EQ(c.partial->code, ErrorCode::kTransient);
  EXPECT_EQ(c.partial->message, "h: DNS timeout (AAAA)");

  auto d = combine_lookups("h", ok({{"2001:db8::7", 42}}), failed(ARES_ESERVFAIL));
  ASSERT_TRUE(d.answer.ok());
  ASSERT_TRUE(d.partial);
  EXPECT_NE(d.partial->message.find("(A)"), std::string::npos) << d.partial->message;
}

TEST(CombineLookups, NoAddressAnyTransientIsTransient) {
  auto c = combine_lookups("h", failed(ARES_ENODATA), failed(ARES_ETIMEOUT));
  ASSERT_FALSE(c.answer.ok());
  EXPECT_EQ(c.answer.error().code, ErrorCode::kTransient);
  EXPECT_FALSE(is_permanent_dns_error(c.answer.error()));
  EXPECT_EQ(c.answer.error().message, "h: no AAAA record; DNS timeout (A)");
  auto r = combine_lookups("h", failed(ARES_ECONNREFUSED), failed(ARES_ECONNREFUSED));
  EXPECT_EQ(r.answer.error().code, ErrorCode::kTransient);
}

TEST(CombineLookups, NoAddressBothPermanent) {
  auto nx = combine_lookups("h", failed(ARES_ENOTFOUND), failed(ARES_ENOTFOUND));
  ASSERT_FALSE(nx.answer.ok());
  EXPECT_TRUE(is_permanent_dns_error(nx.answer.error()));
  EXPECT_EQ(nx.answer.error().message, "h: no such host");
  auto mixed = combine_lookups("h", failed(ARES_ENODATA), failed(ARES_ENOTFOUND));
  EXPECT_EQ(mixed.answer.error().message, "h: no such host");
  auto nodata = combine_lookups("h", failed(ARES_ENODATA), ok({}));
  ASSERT_FALSE(nodata.answer.ok());
  EXPECT_EQ(nodata.answer.error().code, ErrorCode::kPermanent);
  EXPECT_EQ(nodata.answer.error().message, "h: no address");
}

}  // namespace
}  // namespace wgtrack
