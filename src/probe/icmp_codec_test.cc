#include "probe/icmp_codec.h"

#include <gtest/gtest.h>

#include <vector>

namespace wgtrack {
namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr EchoFields kFields{0x1234, 0x0001, 0x0102030405060708ULL};

Bytes bytes(const EchoMessage& m) { return Bytes(m.begin(), m.end()); }

// A minimal IPv4 header (RFC 791) in front of `icmp`; `options` extra 32-bit words of IHL.
Bytes with_ipv4_header(const Bytes& icmp, int options = 0, std::uint8_t protocol = 1) {
  const std::size_t header = 20 + 4 * options;
  const std::size_t total = header + icmp.size();
  Bytes out = {static_cast<std::uint8_t>(0x40 | (5 + options)),
               0,
               static_cast<std::uint8_t>(total >> 8),
               static_cast<std::uint8_t>(total),
               0,
               0,
               0x40,
               0,
               64,
               protocol,
               0,
               0,
               203,
               0,
               113,
               2,
               203,
               0,
               113,
               1};
  out.resize(header, 0x01);  // NOP options
  out.insert(out.end(), icmp.begin(), icmp.end());
  return out;
}

Result<std::optional<EchoFields>> parse(IpFamily f, IcmpFraming fr, const Bytes& b) {
  return parse_echo_reply(f, fr, b);
}

TEST(InternetChecksum, Rfc1071Example) {
  // RFC 1071 §3: 0001 f203 f4f5 f6f7 sums to 2ddf0 -> ddf2; the checksum is its complement.
  const Bytes b = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(internet_checksum(b), 0x220d);
  // Odd length: the last byte is padded with a zero byte.
  EXPECT_EQ(internet_checksum(Bytes{0x12}), static_cast<std::uint16_t>(~0x1200));
  EXPECT_EQ(internet_checksum(Bytes{}), 0xffff);
}

TEST(EncodeEchoRequest, Ipv4GoldenBytes) {
  // Checksum by hand: 0800 + 1234 + 0001 + 7767 ("wg") + 746b ("tk") + 0102 + 0304 + 0506
  // + 0708 = 0x1161b; folded 0x161b + 0x1 = 0x161c; complement 0xe9e3.
  const Bytes expected = {0x08, 0x00, 0xe9, 0xe3, 0x12, 0x34, 0x00, 0x01, 'w',  'g',
                          't',  'k',  0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
  const EchoMessage m = encode_echo_request(IpFamily::kIPv4, kFields);
  EXPECT_EQ(bytes(m), expected);
  EXPECT_EQ(internet_checksum(m), 0);  // a correct message sums to zero
}

TEST(EncodeEchoRequest, Ipv6LeavesTheChecksumToTheKernel) {
  const Bytes expected = {0x80, 0x00, 0x00, 0x00, 0x12, 0x34, 0x00, 0x01, 'w',  'g',
                          't',  'k',  0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
  EXPECT_EQ(bytes(encode_echo_request(IpFamily::kIPv6, kFields)), expected);
}

TEST(EncodeEchoRequest, Ipv4ChecksumHoldsForAnyFields) {
  for (std::uint16_t seq : {0, 1, 0xffff, 0x8000}) {
    const EchoMessage m = encode_echo_request(IpFamily::kIPv4, {0xffff, seq, ~0ULL});
    EXPECT_EQ(internet_checksum(m), 0) << seq;
  }
}

TEST(ParseEchoReply, RawIpv4WithHeader) {
  const Bytes b = with_ipv4_header(bytes(make_echo_reply(IpFamily::kIPv4, kFields)));
  auto r = parse(IpFamily::kIPv4, IcmpFraming::kIPv4Header, b);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ(**r, kFields);
}

TEST(ParseEchoReply, RawIpv4WithOptionsAndLinkPadding) {
  Bytes b = with_ipv4_header(bytes(make_echo_reply(IpFamily::kIPv4, kFields)), 2);
  b.push_back(0xee);  // bytes past the IPv4 total length are not ICMP (and break no checksum)
  auto r = parse(IpFamily::kIPv4, IcmpFraming::kIPv4Header, b);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ(**r, kFields);
}

TEST(ParseEchoReply, Ipv6AndPingSocketForms) {
  auto v6 = parse(IpFamily::kIPv6, IcmpFraming::kIcmpOnly,
                  bytes(make_echo_reply(IpFamily::kIPv6, kFields)));
  ASSERT_TRUE(v6.ok() && v6->has_value());
  EXPECT_EQ(**v6, kFields);
  // Ping socket, IPv4: no IP header; the id is whatever the kernel chose.
  EchoFields kernel_id = kFields;
  kernel_id.id = 0x0bad;
  auto v4 = parse(IpFamily::kIPv4, IcmpFraming::kIcmpOnly,
                  bytes(make_echo_reply(IpFamily::kIPv4, kernel_id)));
  ASSERT_TRUE(v4.ok() && v4->has_value());
  EXPECT_EQ(**v4, kernel_id);
}

TEST(ReplyMatches, SeqNonceAndIdUnlessPingSocket) {
  EXPECT_TRUE(reply_matches(kFields, kFields, true));
  EchoFields other = kFields;
  other.id = 0x4321;
  EXPECT_FALSE(reply_matches(kFields, other, true));  // raw socket: another pinger's reply
  EXPECT_TRUE(reply_matches(kFields, other, false));  // ping socket: the kernel's id
  other = kFields;
  other.seq = 2;
  EXPECT_FALSE(reply_matches(kFields, other, false));
  other = kFields;
  other.nonce ^= 1;  // a late reply to an earlier probe that had the same seq
  EXPECT_FALSE(reply_matches(kFields, other, false));
}

TEST(ParseEchoReply, OwnEchoRequestIsIgnored) {
  // A raw socket on loopback also receives the requests we send.
  for (IpFamily f : {IpFamily::kIPv4, IpFamily::kIPv6}) {
    const Bytes req = bytes(encode_echo_request(f, kFields));
    auto r = parse(f, IcmpFraming::kIcmpOnly, req);
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r->has_value());
  }
  auto r = parse(IpFamily::kIPv4, IcmpFraming::kIPv4Header,
                 with_ipv4_header(bytes(encode_echo_request(IpFamily::kIPv4, kFields))));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
}

TEST(ParseEchoReply, OtherTypesAndForeignRepliesAreIgnored) {
  // Destination unreachable (type 3) quoting a header; an ICMPv4 reply type on a v6 socket.
  const Bytes unreachable = {3, 1, 0xfc, 0xfe, 0, 0, 0, 0};
  auto r = parse(IpFamily::kIPv4, IcmpFraming::kIcmpOnly, unreachable);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  r = parse(IpFamily::kIPv6, IcmpFraming::kIcmpOnly,
            bytes(make_echo_reply(IpFamily::kIPv4, kFields)));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  // ping(8)'s reply: another payload.
  Bytes foreign = bytes(make_echo_reply(IpFamily::kIPv6, kFields));
  foreign[8] = 'x';
  r = parse(IpFamily::kIPv6, IcmpFraming::kIcmpOnly, foreign);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  // An echo reply with no payload at all (valid checksum): not ours, not malformed.
  Bytes empty = {0, 0, 0, 0, 0x12, 0x34, 0, 1};
  const std::uint16_t c = internet_checksum(empty);
  empty[2] = static_cast<std::uint8_t>(c >> 8);
  empty[3] = static_cast<std::uint8_t>(c);
  r = parse(IpFamily::kIPv4, IcmpFraming::kIcmpOnly, empty);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  // A non-zero code is not an echo reply (RFC 792: code 0).
  Bytes coded = bytes(make_echo_reply(IpFamily::kIPv6, kFields));
  coded[1] = 1;
  r = parse(IpFamily::kIPv6, IcmpFraming::kIcmpOnly, coded);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
}

TEST(ParseEchoReply, BadIpv4ChecksumIsMalformed) {
  Bytes b = bytes(make_echo_reply(IpFamily::kIPv4, kFields));
  b[19] ^= 0x40;  // one flipped bit in the nonce
  auto r = parse(IpFamily::kIPv4, IcmpFraming::kIcmpOnly, b);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kProtocol);
}

TEST(ParseEchoReply, BadIpv4Headers) {
  const Bytes good = with_ipv4_header(bytes(make_echo_reply(IpFamily::kIPv4, kFields)));
  auto expect_malformed = [](const Bytes& b, const char* what) {
    auto r = parse(IpFamily::kIPv4, IcmpFraming::kIPv4Header, b);
    ASSERT_FALSE(r.ok()) << what;
    EXPECT_EQ(r.error().code, ErrorCode::kProtocol) << what;
  };
  Bytes b = good;
  b[0] = 0x65;  // version 6
  expect_malformed(b, "version");
  b = good;
  b[0] = 0x44;  // IHL 4 (16 bytes)
  expect_malformed(b, "ihl below 5");
  b = good;
  b[0] = 0x4f;  // IHL 15 (60 bytes) > datagram
  expect_malformed(b, "ihl beyond the datagram");
  b = good;
  b[3] = 41;  // total length one past the end
  expect_malformed(b, "total length too long");
  b = good;
  b[2] = 0;
  b[3] = 19;  // below the header
  expect_malformed(b, "total length too short");
  expect_malformed(with_ipv4_header(bytes(make_echo_reply(IpFamily::kIPv4, kFields)), 0, 17),
                   "udp");
  auto v6 = parse(IpFamily::kIPv6, IcmpFraming::kIPv4Header, good);
  EXPECT_FALSE(v6.ok());
}

// Cut a valid datagram at every offset: an error or "not ours", never a match, never a read
// past the end (ASan builds check the latter).
TEST(ParseEchoReply, TruncatedAtEveryOffset) {
  struct Case {
    IpFamily family;
    IcmpFraming framing;
    Bytes full;
  };
  const std::vector<Case> cases = {
      {IpFamily::kIPv4, IcmpFraming::kIPv4Header,
       with_ipv4_header(bytes(make_echo_reply(IpFamily::kIPv4, kFields)), 1)},
      {IpFamily::kIPv4, IcmpFraming::kIcmpOnly, bytes(make_echo_reply(IpFamily::kIPv4, kFields))},
      {IpFamily::kIPv6, IcmpFraming::kIcmpOnly, bytes(make_echo_reply(IpFamily::kIPv6, kFields))},
  };
  for (const Case& c : cases) {
    for (std::size_t n = 0; n < c.full.size(); ++n) {
      const Bytes cut(c.full.begin(), c.full.begin() + static_cast<std::ptrdiff_t>(n));
      auto r = parse(c.family, c.framing, cut);
      EXPECT_TRUE(!r.ok() || !r->has_value()) << "cut at " << n;
      if (n < kIcmpHeaderSize) {
        EXPECT_FALSE(r.ok()) << "cut at " << n;
      }
    }
    auto whole = parse(c.family, c.framing, c.full);
    ASSERT_TRUE(whole.ok() && whole->has_value());
  }
}

}  // namespace
}  // namespace wgtrack
