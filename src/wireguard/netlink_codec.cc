#include "wireguard/netlink_codec.h"

#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/wireguard.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "wireguard/netlink_message.h"

namespace wgtrack {
namespace {

using netlink::Attr;
using netlink::AttrReader;
using netlink::malformed;
using netlink::Message;
using netlink::MessageBuilder;
using netlink::MessageReader;
using netlink::read_done_errno;
using netlink::read_error;

void put_genl_header(MessageBuilder& b, std::uint8_t cmd, std::uint8_t version) {
  const genlmsghdr h{cmd, version, 0};
  b.put_header(&h, sizeof h);
}

}  // namespace

Error netlink_errno_error(int err, std::string_view what, std::string_view kernel_msg) {
  std::string m(what);
  m += ": kernel answered ";
  // Both return NULL for a number glibc does not know (garbage input must not crash here).
  const char* name = err > 0 ? strerrorname_np(err) : nullptr;
  const char* desc = err > 0 ? strerrordesc_np(err) : nullptr;
  m += name ? name : "errno " + std::to_string(err);
  if (desc) {
    m += " (";
    m += desc;
    m += ")";
  }
  if (!kernel_msg.empty()) m += ": " + netlink::printable(kernel_msg);
  switch (err) {
    case EPERM:
    case EACCES:
      m += "; WireGuard netlink needs CAP_NET_ADMIN (run as root or grant the capability)";
      return Error(ErrorCode::kPermissionDenied, std::move(m));
    case ENODEV:
    case ENOENT:
    case EOPNOTSUPP:  // == ENOTSUP on Linux; the interface exists but is not WireGuard
      return Error(ErrorCode::kNotFound, std::move(m));
    case EINTR:
    case EAGAIN:
    case EBUSY:
    case ENOBUFS:
    case ENOMEM:
      return Error(ErrorCode::kTransient, std::move(m));
    default:
      return Error(ErrorCode::kProtocol, std::move(m));
  }
}

// --- generic netlink controller -------------------------------------------------------------

std::vector<std::uint8_t> encode_genl_get_family(std::uint32_t seq) {
  MessageBuilder b(GENL_ID_CTRL, NLM_F_REQUEST, seq, 0, 64);
  put_genl_header(b, CTRL_CMD_GETFAMILY, 1);  // the controller speaks version 1 (as libmnl's)
  b.put_string(CTRL_ATTR_FAMILY_NAME, WG_GENL_NAME);
  return b.finish();
}

Result<std::uint16_t> decode_genl_get_family(std::span<const std::uint8_t> datagram,
                                             std::uint32_t seq) {
  constexpr std::string_view kWhat = "resolving generic netlink family \"wireguard\"";
  MessageReader reader(datagram);
  Message m;
  while (reader.next(m)) {
    if (m.seq != seq) return malformed(kWhat, "wrong sequence number");
    if (m.type == NLMSG_NOOP) continue;
    if (m.type == NLMSG_ERROR) {
      int err = 0;
      std::string_view kmsg;
      if (!read_error(m, err, kmsg)) return malformed(kWhat, "short NLMSG_ERROR");
      if (err == 0) continue;  // an ack, the reply may follow
      // genl_ctrl: ENOENT when no family has that name (wireguard.ko not loaded/built).
      if (err == ENOENT) return Error(ErrorCode::kUnsupported, "kernel has no wireguard module");
      return netlink_errno_error(err, kWhat, kmsg);
    }
    if (m.type != GENL_ID_CTRL) return malformed(kWhat, "unexpected message type");
    if (m.payload.size() < netlink::kGenlHeaderSize || m.payload[0] != CTRL_CMD_NEWFAMILY)
      return malformed(kWhat, "unexpected controller command");
    AttrReader r(m.payload.subspan(netlink::kGenlHeaderSize));
    Attr a;
    std::uint16_t id = 0;
    while (r.next(a)) {
      if (a.type == CTRL_ATTR_FAMILY_ID && !a.get(id)) return malformed(kWhat, "bad family id");
      if (a.type == CTRL_ATTR_FAMILY_NAME && a.get_string() != WG_GENL_NAME)
        return malformed(kWhat, "reply names another family");
    }
    if (r.failed()) return malformed(kWhat, "bad attribute length");
    if (id == 0) return malformed(kWhat, "no family id");
    return id;
  }
  if (reader.failed()) return malformed(kWhat, "truncated message");
  return malformed(kWhat, "no reply");
}

// --- WG_CMD_GET_DEVICE ------------------------------------------------------------------------

Result<std::vector<std::uint8_t>> encode_wg_get_device(std::uint16_t family, std::uint32_t seq,
                                                       std::string_view ifname) {
  if (!netlink::valid_ifname(ifname))
    return Error(ErrorCode::kInvalidInput,
                 "invalid interface name '" + netlink::printable(ifname) + "'");
  MessageBuilder b(family, NLM_F_REQUEST | NLM_F_DUMP, seq, 0, 64);
  put_genl_header(b, WG_CMD_GET_DEVICE, WG_GENL_VERSION);
  b.put_string(WGDEVICE_A_IFNAME, ifname);
  return b.finish();
}

// WgDeviceDumpAssembler: netlink_device_dump.cc.

// --- WG_CMD_SET_DEVICE ------------------------------------------------------------------------

Result<std::vector<std::uint8_t>> encode_wg_set_endpoint(std::uint16_t family, std::uint32_t seq,
                                                         std::string_view ifname,
                                                         const PeerEndpointUpdate& update) {
  if (!netlink::valid_ifname(ifname))
    return Error(ErrorCode::kInvalidInput,
                 "invalid interface name '" + netlink::printable(ifname) + "'");
  if (!update.endpoint.zone().empty())
    return Error(ErrorCode::kInvalidInput, "endpoint zone '" +
                                               netlink::printable(update.endpoint.zone()) +
                                               "' must be resolved to a scope id first");
  sockaddr_storage ss;
  const std::size_t ss_len = update.endpoint.to_sockaddr(ss);
  MessageBuilder b(family, NLM_F_REQUEST | NLM_F_ACK, seq, 0, 128);
  put_genl_header(b, WG_CMD_SET_DEVICE, WG_GENL_VERSION);
  b.put_string(WGDEVICE_A_IFNAME, ifname);
  const auto peers = b.begin_nest(WGDEVICE_A_PEERS);
  const auto peer = b.begin_nest(0);
  b.put(WGPEER_A_PUBLIC_KEY, update.public_key.bytes().data(), PublicKey::kSize);
  // UPDATE_ONLY: netlink.c set_peer() skips a peer it does not know instead of creating it.
  b.put_u32(WGPEER_A_FLAGS, WGPEER_F_UPDATE_ONLY);
  b.put(WGPEER_A_ENDPOINT, &ss, ss_len);
  b.end_nest(peer);
  b.end_nest(peers);
  return b.finish();
}

Result<void> decode_netlink_ack(std::span<const std::uint8_t> datagram, std::uint32_t seq,
                                std::string_view what, int* kernel_errno) {
  if (kernel_errno) *kernel_errno = 0;
  MessageReader reader(datagram);
  Message m;
  while (reader.next(m)) {
    if (m.seq != seq) return malformed(what, "wrong sequence number");
    if (m.type == NLMSG_NOOP) continue;
    if (m.type != NLMSG_ERROR) return malformed(what, "expected an acknowledgement");
    int err = 0;
    std::string_view kmsg;
    if (!read_error(m, err, kmsg)) return malformed(what, "short NLMSG_ERROR");
    if (err == 0) return success();
    if (kernel_errno) *kernel_errno = err;
    return netlink_errno_error(err, what, kmsg);
  }
  if (reader.failed()) return malformed(what, "truncated message");
  return malformed(what, "no acknowledgement");
}

// --- rtnetlink RTM_GETLINK --------------------------------------------------------------------

std::vector<std::uint8_t> encode_rtm_getlink_dump(std::uint32_t seq) {
  MessageBuilder b(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, seq, 0, 64);
  const ifinfomsg ifi{};  // AF_UNSPEC: every link
  b.put_header(&ifi, sizeof ifi);
  // Statistics are most of a link message and we need none (kernels before 4.6 ignore this).
  b.put_u32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
  return b.finish();
}

Result<DumpStatus> WgLinkDumpAssembler::feed(std::span<const std::uint8_t> datagram) {
  constexpr std::string_view kWhat = "listing network interfaces";
  if (finished_) return malformed(kWhat, "data after the end of the dump");
  finished_ = true;  // until this datagram proves fine
  MessageReader reader(datagram);
  Message m;
  while (reader.next(m)) {
    if (m.seq != seq_) return malformed(kWhat, "wrong sequence number");
    if (m.flags & NLM_F_DUMP_INTR) return DumpStatus::kInterrupted;
    if (m.type == NLMSG_DONE) {
      if (const int err = read_done_errno(m)) return netlink_errno_error(err, kWhat);
      return DumpStatus::kDone;
    }
    if (m.type == NLMSG_ERROR) {
      int err = 0;
      std::string_view kmsg;
      if (!read_error(m, err, kmsg)) return malformed(kWhat, "short NLMSG_ERROR");
      if (err == 0) continue;
      return netlink_errno_error(err, kWhat, kmsg);
    }
    if (m.type == NLMSG_NOOP) continue;
    if (m.type != RTM_NEWLINK) return malformed(kWhat, "unexpected message type");
    if (m.payload.size() < sizeof(ifinfomsg)) return malformed(kWhat, "short ifinfomsg");
    const auto index =
        netlink::load<std::int32_t>(m.payload.data() + offsetof(ifinfomsg, ifi_index));
    AttrReader r(m.payload.subspan(netlink::align4(sizeof(ifinfomsg))));
    Attr a;
    std::string_view name;
    bool is_wireguard = false;
    while (r.next(a)) {
      if (a.type == IFLA_IFNAME) {
        name = a.get_string();
      } else if (a.type == IFLA_LINKINFO) {
        AttrReader info(a.payload);
        Attr i;
        while (info.next(i)) {
          if (i.type == IFLA_INFO_KIND) is_wireguard = i.get_string() == "wireguard";
        }
        if (info.failed()) return malformed(kWhat, "bad IFLA_LINKINFO");
      }
    }
    if (r.failed()) return malformed(kWhat, "bad attribute length");
    if (!is_wireguard) continue;
    if (!netlink::valid_ifname(name) || index <= 0) return malformed(kWhat, "bad wireguard link");
    links_.push_back(KernelLink{std::string(name), static_cast<std::uint32_t>(index)});
  }
  if (reader.failed()) return malformed(kWhat, "truncated message");
  finished_ = false;
  return DumpStatus::kMore;
}

}  // namespace wgtrack
