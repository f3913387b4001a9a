// Test support: writes the kernel's side of the netlink conversations KernelBackend has, with
// the codec's MessageBuilder. Used to generate the golden fixtures in tests/fixtures/netlink,
// the fuzz seeds and the benchmark dump. write_kernel_dump() follows
// drivers/net/wireguard/netlink.c wg_get_device_dump()/get_peer(): the same attribute order, a
// per-message size budget, device attributes only while no peer has been completed, and a
// peer whose allowed IPs overflow continuing in the next message under its public key.
#pragma once

#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/wireguard.h>
#include <sys/socket.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "wireguard/device.h"
#include "wireguard/netlink_message.h"

namespace wgtrack::testing {

using Datagram = std::vector<std::uint8_t>;

struct KernelDumpOptions {
  std::uint16_t family = 0x1c;
  std::uint32_t seq = 1;
  std::uint32_t pid = 4242;
  std::size_t max_message = 4096;         // the skb size budget of one dump message
  std::size_t messages_per_datagram = 1;  // the kernel sends one per recvmsg; tests vary it
  bool done_in_last_datagram = true;      // NLMSG_DONE shares the last skb when it fits
  std::uint16_t extra_flags = 0;          // e.g. NLM_F_DUMP_INTR
  std::uint8_t private_key_fill = 0xAA;   // written when the device has a public key
  std::uint8_t preshared_key_fill = 0x55;
};

namespace detail {

inline void put_allowed_ip(netlink::MessageBuilder& b, const IpPrefix& ip) {
  const auto n = b.begin_nest(0);
  b.put_u8(WGALLOWEDIP_A_CIDR_MASK, ip.cidr());
  const bool v4 = ip.family() == IpFamily::kIPv4;
  b.put_u16(WGALLOWEDIP_A_FAMILY, v4 ? AF_INET : AF_INET6);
  b.put(WGALLOWEDIP_A_IPADDR, ip.address().data(), v4 ? 4 : 16);
  b.end_nest(n);
}

// Returns true when the peer was written completely (get_peer() == 0).
inline bool put_peer(netlink::MessageBuilder& b, const Peer& p, const KernelDumpOptions& o,
                     std::size_t& next_ip, bool& continuing) {
  const std::size_t start = b.size();
  const auto nest = b.begin_nest(0);
  b.put(WGPEER_A_PUBLIC_KEY, p.public_key.bytes().data(), 32);
  if (!continuing) {
    std::array<std::uint8_t, 32> psk{};
    if (p.has_preshared_key) psk.fill(o.preshared_key_fill);
    b.put(WGPEER_A_PRESHARED_KEY, psk.data(), psk.size());
    std::int64_t ts[2] = {0, 0};
    if (p.last_handshake) {
      const auto ns = p.last_handshake->time_since_epoch().count();
      ts[0] = ns / 1'000'000'000;
      ts[1] = ns % 1'000'000'000;
    }
    b.put(WGPEER_A_LAST_HANDSHAKE_TIME, ts, sizeof ts);
    b.put_u16(WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL, p.persistent_keepalive);
    b.put_u64(WGPEER_A_TX_BYTES, p.tx_bytes);
    b.put_u64(WGPEER_A_RX_BYTES, p.rx_bytes);
    b.put_u32(WGPEER_A_PROTOCOL_VERSION, 1);
    if (p.endpoint) {
      sockaddr_storage ss;
      const auto len = p.endpoint->to_sockaddr(ss);
      b.put(WGPEER_A_ENDPOINT, &ss, len);
    }
    next_ip = 0;
  }
  if (b.size() > o.max_message) {
    b.truncate(start);
    return false;
  }
  if (next_ip < p.allowed_ips.size()) {
    const auto ips = b.begin_nest(WGPEER_A_ALLOWEDIPS);
    if (b.size() > o.max_message) {
      b.truncate(start);
      return false;
    }
    for (; next_ip < p.allowed_ips.size(); ++next_ip) {
      const std::size_t before = b.size();
      put_allowed_ip(b, p.allowed_ips[next_ip]);
      if (b.size() > o.max_message) {
        b.truncate(before);
        b.end_nest(ips);
        b.end_nest(nest);
        continuing = true;
        return false;
      }
    }
    b.end_nest(ips);
  }
  b.end_nest(nest);
  continuing = false;
  next_ip = 0;
  return true;
}

inline Datagram done_message(const KernelDumpOptions& o, std::int32_t neg_errno = 0) {
  netlink::MessageBuilder b(NLMSG_DONE, NLM_F_MULTI | o.extra_flags, o.seq, o.pid);
  b.put_header(&neg_errno, sizeof neg_errno);
  return b.finish();
}

inline std::vector<Datagram> group(std::vector<Datagram> messages, const KernelDumpOptions& o) {
  Datagram done = done_message(o);
  if (!o.done_in_last_datagram) {
    messages.push_back(std::move(done));
    done.clear();
  }
  std::vector<Datagram> out;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (i % o.messages_per_datagram == 0) out.emplace_back();
    out.back().insert(out.back().end(), messages[i].begin(), messages[i].end());
  }
  out.back().insert(out.back().end(), done.begin(), done.end());
  return out;
}

}  // namespace detail

// The datagrams of a WG_CMD_GET_DEVICE dump of `dev`, NLMSG_DONE included.
inline std::vector<Datagram> write_kernel_dump(const Device& dev, const KernelDumpOptions& o) {
  std::vector<Datagram> messages;
  std::ptrdiff_t cursor = -1;  // ctx->next_peer: the last peer written completely
  std::size_t next_ip = 0;     // ctx->next_allowedip
  bool continuing = false;
  const auto n = static_cast<std::ptrdiff_t>(dev.peers.size());
  for (;;) {
    if (messages.size() > 1'000'000) throw std::logic_error("dump writer makes no progress");
    netlink::MessageBuilder b(o.family, NLM_F_MULTI | o.extra_flags, o.seq, o.pid, o.max_message);
    const genlmsghdr h{WG_CMD_GET_DEVICE, WG_GENL_VERSION, 0};
    b.put_header(&h, sizeof h);
    if (cursor < 0) {
      b.put_u16(WGDEVICE_A_LISTEN_PORT, dev.listen_port);
      b.put_u32(WGDEVICE_A_FWMARK, dev.fwmark);
      b.put_u32(WGDEVICE_A_IFINDEX, dev.ifindex);
      b.put_string(WGDEVICE_A_IFNAME, dev.name);
      if (dev.public_key) {
        std::array<std::uint8_t, 32> priv;
        priv.fill(o.private_key_fill);
        b.put(WGDEVICE_A_PRIVATE_KEY, priv.data(), priv.size());
        b.put(WGDEVICE_A_PUBLIC_KEY, dev.public_key->bytes().data(), 32);
      }
    }
    bool done = true;
    std::ptrdiff_t next_cursor = cursor;
    if (n > 0) {  // netlink.c cancels the WGDEVICE_A_PEERS nest of a device without peers
      const auto peers = b.begin_nest(WGDEVICE_A_PEERS);
      for (std::ptrdiff_t i = cursor + 1; i < n; ++i) {
        if (!detail::put_peer(b, dev.peers[i], o, next_ip, continuing)) {
          done = false;
          break;
        }
        next_cursor = i;
      }
      b.end_nest(peers);
    }
    messages.push_back(b.finish());
    if (done) break;
    cursor = next_cursor;
  }
  return detail::group(std::move(messages), o);
}

// NLMSG_ERROR answering a request of type `request_type` with -err (0 = ack).
inline Datagram write_nlmsgerr(std::uint32_t seq, int err, std::uint16_t request_type,
                               std::uint32_t pid = 4242) {
  netlink::MessageBuilder b(NLMSG_ERROR, 0, seq, pid);
  nlmsgerr e{};
  e.error = -err;
  e.msg.nlmsg_len = sizeof(nlmsghdr);
  e.msg.nlmsg_type = request_type;
  e.msg.nlmsg_flags = NLM_F_REQUEST;
  e.msg.nlmsg_seq = seq;
  b.put_header(&e, sizeof e);
  return b.finish();
}

// CTRL_CMD_NEWFAMILY for "wireguard" with id `family` (the interesting part of the reply).
inline Datagram write_genl_family_reply(std::uint32_t seq, std::uint16_t family) {
  netlink::MessageBuilder b(GENL_ID_CTRL, 0, seq, 4242);
  const genlmsghdr h{CTRL_CMD_NEWFAMILY, 2, 0};
  b.put_header(&h, sizeof h);
  b.put_string(CTRL_ATTR_FAMILY_NAME, WG_GENL_NAME);
  b.put_u16(CTRL_ATTR_FAMILY_ID, family);
  b.put_u32(CTRL_ATTR_VERSION, WG_GENL_VERSION);
  b.put_u32(CTRL_ATTR_HDRSIZE, 0);
  b.put_u32(CTRL_ATTR_MAXATTR, WGDEVICE_A_MAX);
  const auto ops = b.begin_nest(CTRL_ATTR_OPS);
  for (std::uint32_t cmd : {WG_CMD_GET_DEVICE, WG_CMD_SET_DEVICE}) {
    const auto op = b.begin_nest(static_cast<std::uint16_t>(cmd + 1));
    b.put_u32(CTRL_ATTR_OP_ID, cmd);
    b.put_u32(CTRL_ATTR_OP_FLAGS, GENL_UNS_ADMIN_PERM);
    b.end_nest(op);
  }
  b.end_nest(ops);
  return b.finish();
}

// RTM_NEWLINK for one link (kind "" = no IFLA_LINKINFO, like lo or a physical NIC).
inline Datagram write_newlink(std::uint32_t seq, std::int32_t index, std::string_view name,
                              std::string_view kind, std::uint16_t flags = NLM_F_MULTI) {
  netlink::MessageBuilder b(RTM_NEWLINK, flags, seq, 4242);
  ifinfomsg ifi{};
  ifi.ifi_index = index;
  ifi.ifi_type = kind == "wireguard" ? 65534 : 1;  // ARPHRD_NONE / ARPHRD_ETHER
  b.put_header(&ifi, sizeof ifi);
  b.put_string(IFLA_IFNAME, name);
  b.put_u32(IFLA_MTU, kind == "wireguard" ? 1420 : 1500);
  if (!kind.empty()) {
    const auto info = b.begin_nest(IFLA_LINKINFO);
    b.put_string(IFLA_INFO_KIND, kind);
    b.end_nest(info);
  }
  return b.finish();
}

}  // namespace wgtrack::testing
