#include "probe/icmp_codec.h"

#include <algorithm>

namespace wgtrack {
namespace {

std::uint16_t get16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}

void put16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}

EchoMessage encode(IpFamily family, std::uint8_t type, const EchoFields& f) {
  EchoMessage m{};
  m[0] = type;
  m[1] = 0;  // code
  put16(&m[4], f.id);
  put16(&m[6], f.seq);
  std::copy(kEchoMagic.begin(), kEchoMagic.end(), m.begin() + kIcmpHeaderSize);
  for (int i = 0; i < 8; ++i) {
    m[kIcmpHeaderSize + kEchoMagic.size() + i] = static_cast<std::uint8_t>(f.nonce >> (56 - 8 * i));
  }
  // RFC 792: the checksum is computed with the checksum field zero. RFC 4443 §2.3: ICMPv6's
  // covers a pseudo-header with the source address, which only the kernel knows.
  if (family == IpFamily::kIPv4) put16(&m[2], internet_checksum(m));
  return m;
}

Error malformed(const char* what) { return Error(ErrorCode::kProtocol, what); }

}  // namespace

std::uint16_t internet_checksum(std::span<const std::uint8_t> data) {
  std::uint32_t sum = 0;
  std::size_t i = 0;
  for (; i + 1 < data.size(); i += 2) sum += get16(&data[i]);
  if (i < data.size()) sum += static_cast<std::uint32_t>(data[i]) << 8;  // pad odd byte with 0
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

EchoMessage encode_echo_request(IpFamily family, const EchoFields& fields) {
  return encode(family, family == IpFamily::kIPv4 ? kIcmpEchoRequest : kIcmp6EchoRequest, fields);
}

bool reply_matches(const EchoFields& request, const EchoFields& reply, bool check_id) {
  return request.seq == reply.seq && request.nonce == reply.nonce &&
         (!check_id || request.id == reply.id);
}

EchoMessage make_echo_reply(IpFamily family, const EchoFields& fields) {
  return encode(family, family == IpFamily::kIPv4 ? kIcmpEchoReply : kIcmp6EchoReply, fields);
}

Result<std::optional<EchoFields>> parse_echo_reply(IpFamily family, IcmpFraming framing,
                                                   std::span<const std::uint8_t> datagram) {
  std::span<const std::uint8_t> icmp = datagram;
  if (framing == IcmpFraming::kIPv4Header) {
    if (family != IpFamily::kIPv4) return malformed("an IPv4 header on an IPv6 socket");
    // RFC 791 §3.1. Linux hands raw sockets the header as it came off the wire (network byte
    // order, total length including the header), unlike the BSDs.
    if (datagram.size() < 20) return malformed("truncated IPv4 header");
    if ((datagram[0] >> 4) != 4) return malformed("not an IPv4 header");
    const std::size_t header_len = static_cast<std::size_t>(datagram[0] & 0x0f) * 4;
    const std::size_t total_len = get16(&datagram[2]);
    if (header_len < 20) return malformed("IPv4 header length below 20");
    if (header_len > datagram.size()) return malformed("truncated IPv4 options");
    if (total_len < header_len) return malformed("IPv4 total length below the header length");
    if (total_len > datagram.size()) return malformed("truncated IPv4 packet");
    if (datagram[9] != 1) return malformed("IPv4 packet is not ICMP");
    icmp = datagram.subspan(header_len, total_len - header_len);
  }
  if (icmp.size() < kIcmpHeaderSize) return malformed("truncated ICMP header");
  const std::uint8_t reply_type = family == IpFamily::kIPv4 ? kIcmpEchoReply : kIcmp6EchoReply;
  if (icmp[0] != reply_type || icmp[1] != 0) return std::optional<EchoFields>();
  if (family == IpFamily::kIPv4 && internet_checksum(icmp) != 0) {
    return malformed("bad ICMP checksum");
  }
  if (icmp.size() < kEchoMessageSize ||
      !std::equal(kEchoMagic.begin(), kEchoMagic.end(), icmp.begin() + kIcmpHeaderSize)) {
    return std::optional<EchoFields>();  // someone else's echo (e.g. a ping(8) on this host)
  }
  EchoFields f;
  f.id = get16(&icmp[4]);
  f.seq = get16(&icmp[6]);
  for (std::size_t i = 0; i < 8; ++i) {
    f.nonce = (f.nonce << 8) | icmp[kIcmpHeaderSize + kEchoMagic.size() + i];
  }
  return std::optional<EchoFields>(f);
}

}  // namespace wgtrack
