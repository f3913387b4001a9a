// ICMP / ICMPv6 echo messages for in-tunnel probes (RFC 792; RFC 4443 §4.1, §4.2). Pure: bytes
// in, values out; no sockets, no clocks. The prober (icmp_prober.h) does the I/O.
//
// Our echo payload is kEchoMagic followed by a 64-bit nonce (big-endian). A reply counts as ours
// only if it echoes both, so stray replies (another ping on the host, a late reply to a probe
// that already timed out and whose sequence number was reused) never match a pending probe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "core/endpoint.h"
#include "core/result.h"

namespace wgtrack {

inline constexpr std::size_t kIcmpHeaderSize = 8;  // type, code, checksum, id, sequence
inline constexpr std::array<std::uint8_t, 4> kEchoMagic = {'w', 'g', 't', 'k'};
inline constexpr std::size_t kEchoPayloadSize = kEchoMagic.size() + 8;  // magic + nonce
inline constexpr std::size_t kEchoMessageSize = kIcmpHeaderSize + kEchoPayloadSize;  // 20

// ICMP types (RFC 792 / RFC 4443 §4.1, §4.2).
inline constexpr std::uint8_t kIcmpEchoReply = 0;
inline constexpr std::uint8_t kIcmpEchoRequest = 8;
inline constexpr std::uint8_t kIcmp6EchoRequest = 128;
inline constexpr std::uint8_t kIcmp6EchoReply = 129;

// The fields that identify one probe. id and seq travel in network byte order.
struct EchoFields {
  std::uint16_t id = 0;
  std::uint16_t seq = 0;
  std::uint64_t nonce = 0;

  friend bool operator==(const EchoFields&, const EchoFields&) = default;
};

using EchoMessage = std::array<std::uint8_t, kEchoMessageSize>;

// An echo request: IPv4 type 8 with its checksum filled in; IPv6 type 128 with checksum 0,
// which the kernel fills for every IPPROTO_ICMPV6 socket (RFC 3542 §3.1; raw and ping sockets
// alike, it needs the source address it picks). On a ping socket (SOCK_DGRAM) the kernel also
// replaces id with the socket's "port" (and redoes the v4 checksum).
EchoMessage encode_echo_request(IpFamily family, const EchoFields& fields);

// How a received datagram is framed.
enum class IcmpFraming : std::uint8_t {
  kIPv4Header,  // raw AF_INET socket: the IPv4 header comes first
  kIcmpOnly,    // raw AF_INET6 socket, or any ping socket: the ICMP message alone
};

// Parses one datagram read from an ICMP socket of `family`.
//   value(fields)  an echo reply (code 0) carrying our magic: the caller matches seq, nonce,
//                  source address and, except on ping sockets, id
//   value(nullopt) not a reply of ours: another type (including our own echo request, which a
//                  raw socket on loopback also receives), a reply without our payload
//   kProtocol      malformed: truncated, a bad IPv4 header, not ICMP, a bad ICMPv4 checksum
// Never reads outside `datagram`. ICMPv6 checksums are not checked: they cover a pseudo-header
// we do not see, and the kernel already dropped bad ones (it verifies before raw delivery).
Result<std::optional<EchoFields>> parse_echo_reply(IpFamily family, IcmpFraming framing,
                                                   std::span<const std::uint8_t> datagram);

// True if `reply` answers `request`: same sequence number and nonce, and the same id unless
// `check_id` is false (a ping socket, where the kernel picks the id: icmp(7)). The source
// address is the caller's to check.
bool reply_matches(const EchoFields& request, const EchoFields& reply, bool check_id);

// Builds what a peer would send back for `request` (type 0 / 129): for tests and the fuzzer.
// IPv6 checksum stays 0 (see above).
EchoMessage make_echo_reply(IpFamily family, const EchoFields& fields);

// The Internet checksum (RFC 1071) of `data`; a message with a correct checksum field sums to 0.
std::uint16_t internet_checksum(std::span<const std::uint8_t> data);

}  // namespace wgtrack
