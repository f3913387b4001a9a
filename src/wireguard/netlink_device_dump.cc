// WgDeviceDumpAssembler (declared in netlink_codec.h): WG_CMD_GET_DEVICE dump -> Device.
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/wireguard.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <limits>

#include "wireguard/netlink_codec.h"
#include "wireguard/netlink_message.h"

namespace wgtrack {
namespace {

using netlink::Attr;
using netlink::AttrReader;
using netlink::load;

// Smallest dump bytes per peer and per allowed IP (a peer nest with only a public key; one
// v4 allowed-IP nest: 4 + 8 cidr + 8 family + 8 address). Used only to size reservations.
constexpr std::size_t kMinPeerBytes = 4 + 36;
constexpr std::size_t kAllowedIpV4Bytes = 28;

bool decode_allowed_ip(std::span<const std::uint8_t> nest, IpPrefix& out) {
  AttrReader r(nest);
  Attr a;
  std::uint16_t family = 0;
  std::uint8_t cidr = 0;
  bool have_cidr = false;
  std::span<const std::uint8_t> addr;
  while (r.next(a)) {
    switch (a.type) {
      case WGALLOWEDIP_A_FAMILY:
        if (!a.get(family)) return false;
        break;
      case WGALLOWEDIP_A_IPADDR:
        addr = a.payload;
        break;
      case WGALLOWEDIP_A_CIDR_MASK:
        if (!a.get(cidr)) return false;
        have_cidr = true;
        break;
      default:
        break;
    }
  }
  if (r.failed() || !have_cidr) return false;
  IpFamily f;
  if (family == AF_INET && addr.size() == 4) {
    f = IpFamily::kIPv4;
  } else if (family == AF_INET6 && addr.size() == 16) {
    f = IpFamily::kIPv6;
  } else {
    return false;
  }
  auto p = IpPrefix::make(f, addr.data(), cidr);
  if (!p) return false;
  out = *p;
  return true;
}

}  // namespace

WgDeviceDumpAssembler::WgDeviceDumpAssembler(std::uint16_t family, std::uint32_t seq,
                                             std::string_view name)
    : family_(family), seq_(seq) {
  device_.name = std::string(name);
  device_.backend = BackendKind::kKernel;
}

Result<DumpStatus> WgDeviceDumpAssembler::feed(std::span<const std::uint8_t> datagram) {
  const std::string what = "reading WireGuard interface '" + netlink::printable(device_.name) + "'";
  if (finished_) return netlink::malformed(what, "data after the end of the dump");
  finished_ = true;  // until this datagram proves fine
  // Reserve geometrically from the bytes seen: one reallocation per datagram would be
  // quadratic in the number of peers.
  auto& peers = device_.peers;
  const std::size_t want = peers.size() + datagram.size() / (kMinPeerBytes * 4);
  if (want > peers.capacity()) peers.reserve(std::max(want, peers.capacity() * 2));

  netlink::MessageReader reader(datagram);
  netlink::Message m;
  while (reader.next(m)) {
    if (m.seq != seq_) return netlink::malformed(what, "wrong sequence number");
    if (m.flags & NLM_F_DUMP_INTR) return DumpStatus::kInterrupted;
    if (m.type == NLMSG_DONE) {
      if ((kernel_errno_ = netlink::read_done_errno(m)) != 0)
        return netlink_errno_error(kernel_errno_, what);
      return DumpStatus::kDone;
    }
    if (m.type == NLMSG_ERROR) {
      int err = 0;
      std::string_view kmsg;
      if (!netlink::read_error(m, err, kmsg)) return netlink::malformed(what, "short NLMSG_ERROR");
      if (err == 0) continue;  // an ack we did not ask for: harmless
      kernel_errno_ = err;
      return netlink_errno_error(err, what, kmsg);
    }
    if (m.type == NLMSG_NOOP) continue;
    if (m.type != family_) return netlink::malformed(what, "unexpected message type");
    if (auto r = decode_message(m.payload); !r) return netlink::malformed(what, r.error().message);
  }
  if (reader.failed()) return netlink::malformed(what, "truncated message");
  finished_ = false;
  return DumpStatus::kMore;
}

Result<void> WgDeviceDumpAssembler::decode_message(std::span<const std::uint8_t> payload) {
  auto bad = [](const char* why) { return Error(ErrorCode::kProtocol, why); };
  if (payload.size() < netlink::kGenlHeaderSize || payload[0] != WG_CMD_GET_DEVICE)
    return bad("unexpected generic netlink command");
  // Device attributes come only in the first message, or again when a message could not fit
  // its first peer (netlink.c wg_get_device_dump): take whatever is present.
  AttrReader r(payload.subspan(netlink::kGenlHeaderSize));
  Attr a;
  while (r.next(a)) {
    switch (a.type) {
      case WGDEVICE_A_IFINDEX:
        if (!a.get(device_.ifindex)) return bad("bad WGDEVICE_A_IFINDEX");
        break;
      case WGDEVICE_A_IFNAME: {
        const auto name = a.get_string();
        if (!netlink::valid_ifname(name)) return bad("bad WGDEVICE_A_IFNAME");
        device_.name.assign(name);
        break;
      }
      case WGDEVICE_A_PUBLIC_KEY: {
        if (a.payload.size() != PublicKey::kSize) return bad("bad WGDEVICE_A_PUBLIC_KEY");
        PublicKey::Bytes b;
        std::memcpy(b.data(), a.payload.data(), b.size());
        device_.public_key = PublicKey(b);
        break;
      }
      case WGDEVICE_A_LISTEN_PORT:
        if (!a.get(device_.listen_port)) return bad("bad WGDEVICE_A_LISTEN_PORT");
        break;
      case WGDEVICE_A_FWMARK:
        if (!a.get(device_.fwmark)) return bad("bad WGDEVICE_A_FWMARK");
        break;
      case WGDEVICE_A_PEERS: {
        AttrReader pr(a.payload);
        Attr p;
        while (pr.next(p)) {
          if (auto res = decode_peer(p.payload); !res) return res;
        }
        if (pr.failed()) return bad("bad peer attribute length");
        break;
      }
      default:  // WGDEVICE_A_PRIVATE_KEY is deliberately never read; others are newer
        break;
    }
  }
  if (r.failed()) return bad("bad device attribute length");
  return success();
}

Result<void> WgDeviceDumpAssembler::decode_peer(std::span<const std::uint8_t> nest) {
  auto bad = [](const char* why) { return Error(ErrorCode::kProtocol, why); };
  // The public key first: it decides whether this nest continues the previous peer. The
  // kernel writes it first, so this loop usually stops at once.
  AttrReader kr(nest);
  Attr a;
  const std::uint8_t* key = nullptr;
  while (kr.next(a)) {
    if (a.type != WGPEER_A_PUBLIC_KEY) continue;
    if (a.payload.size() != PublicKey::kSize) return bad("bad WGPEER_A_PUBLIC_KEY");
    key = a.payload.data();
    break;
  }
  if (kr.failed()) return bad("bad peer attribute length");
  if (key == nullptr) return bad("peer without a public key");

  // A peer whose allowed IPs did not fit continues at the top of the next message with the
  // same key (netlink.c get_peer; wireguard-tools ipc-linux.h coalesce_peers merges adjacent
  // peers with equal keys). A peer is listed once per dump, so only the last one can continue.
  auto& peers = device_.peers;
  Peer* peer;
  if (!peers.empty() &&
      std::memcmp(peers.back().public_key.bytes().data(), key, PublicKey::kSize) == 0) {
    peer = &peers.back();
  } else {
    peer = &peers.emplace_back();
    PublicKey::Bytes b;
    std::memcpy(b.data(), key, b.size());
    peer->public_key = PublicKey(b);
  }

  AttrReader r(nest);
  while (r.next(a)) {
    switch (a.type) {
      case WGPEER_A_PRESHARED_KEY: {
        // Only whether one is set survives; the bytes stay in the caller's buffer.
        if (a.payload.size() != PublicKey::kSize) return bad("bad WGPEER_A_PRESHARED_KEY");
        std::uint8_t any = 0;
        for (std::uint8_t c : a.payload) any |= c;
        peer->has_preshared_key = any != 0;
        break;
      }
      case WGPEER_A_ENDPOINT: {
        auto ep = Endpoint::from_sockaddr(a.payload.data(), a.payload.size());
        if (!ep) return bad("bad WGPEER_A_ENDPOINT");
        peer->endpoint = *ep;
        break;
      }
      case WGPEER_A_LAST_HANDSHAKE_TIME: {
        // struct __kernel_timespec { s64 tv_sec; s64 tv_nsec; }; 0/0 means never.
        if (a.payload.size() != 16) return bad("bad WGPEER_A_LAST_HANDSHAKE_TIME");
        const auto sec = load<std::int64_t>(a.payload.data());
        const auto nsec = load<std::int64_t>(a.payload.data() + 8);
        if (sec < 0 || sec > kMaxWallSeconds || nsec < 0 || nsec >= 1'000'000'000)
          return bad("bad WGPEER_A_LAST_HANDSHAKE_TIME");
        if (sec == 0 && nsec == 0) {
          peer->last_handshake.reset();
        } else {
          peer->last_handshake =
              WallTime(std::chrono::seconds(sec) + std::chrono::nanoseconds(nsec));
        }
        break;
      }
      case WGPEER_A_RX_BYTES:
        if (!a.get(peer->rx_bytes)) return bad("bad WGPEER_A_RX_BYTES");
        break;
      case WGPEER_A_TX_BYTES:
        if (!a.get(peer->tx_bytes)) return bad("bad WGPEER_A_TX_BYTES");
        break;
      case WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL:
        if (!a.get(peer->persistent_keepalive)) return bad("bad persistent keepalive");
        break;
      case WGPEER_A_ALLOWEDIPS: {
        auto& ips = peer->allowed_ips;
        ips.reserve(ips.size() + a.payload.size() / kAllowedIpV4Bytes);
        AttrReader ir(a.payload);
        Attr ip;
        while (ir.next(ip)) {
          if (!decode_allowed_ip(ip.payload, ips.emplace_back())) return bad("bad allowed IP");
        }
        if (ir.failed()) return bad("bad allowed IP attribute length");
        break;
      }
      default:  // WGPEER_A_PUBLIC_KEY (done), PROTOCOL_VERSION, UNSPEC padding, newer ones
        break;
    }
  }
  if (r.failed()) return bad("bad peer attribute length");
  return success();
}

}  // namespace wgtrack
