// Pure codec for kernel WireGuard over netlink: generic netlink family resolution, the
// WG_CMD_GET_DEVICE dump, the WG_CMD_SET_DEVICE endpoint update and the RTM_GETLINK dump that
// finds wireguard links. Bytes in, Result out: no sockets, no syscalls (KernelBackend is the
// transport). Every decoder takes one received datagram (which may hold several messages),
// checks every length before use and turns malformed input into ErrorCode::kProtocol.
//
// Kernel facts used here come from include/uapi/linux/wireguard.h and
// drivers/net/wireguard/netlink.c: a device dump is split over several NLM_F_MULTI messages;
// only the first carries the device attributes (they repeat if the first peer did not fit);
// a peer whose allowed IPs do not fit continues at the top of the next message under the same
// public key; NLM_F_DUMP_INTR flags a dump that raced a change.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "wireguard/device.h"

namespace wgtrack {

// Maps a kernel errno (positive) from NLMSG_ERROR or NLMSG_DONE to an Error:
// EPERM/EACCES -> kPermissionDenied (names CAP_NET_ADMIN); ENODEV/ENOENT/EOPNOTSUPP -> kNotFound;
// EINTR/EAGAIN/EBUSY/ENOBUFS/ENOMEM -> kTransient; anything else -> kProtocol.
// `what` says what was asked ("reading wg0"); `kernel_msg` is an extended-ack text, if any.
Error netlink_errno_error(int err, std::string_view what, std::string_view kernel_msg = {});

// --- generic netlink controller -----------------------------------------------------------

// CTRL_CMD_GETFAMILY for "wireguard" (WG_GENL_NAME).
std::vector<std::uint8_t> encode_genl_get_family(std::uint32_t seq);
// The reply: the family id. ENOENT -> kUnsupported ("kernel has no wireguard module").
Result<std::uint16_t> decode_genl_get_family(std::span<const std::uint8_t> datagram,
                                             std::uint32_t seq);

// --- WG_CMD_GET_DEVICE ----------------------------------------------------------------------

// NLM_F_REQUEST|NLM_F_DUMP with WGDEVICE_A_IFNAME. kInvalidInput if `ifname` is empty or
// longer than IFNAMSIZ - 1.
Result<std::vector<std::uint8_t>> encode_wg_get_device(std::uint16_t family, std::uint32_t seq,
                                                       std::string_view ifname);

enum class DumpStatus {
  kMore,         // feed the next datagram
  kDone,         // NLMSG_DONE seen: take the result
  kInterrupted,  // NLM_F_DUMP_INTR: the data is inconsistent; restart the dump (new socket)
};

// Assembles one WG_CMD_GET_DEVICE dump into a Device, fed one datagram at a time.
// Never stores WGDEVICE_A_PRIVATE_KEY or a preshared key (only has_preshared_key); the caller
// zeroes its receive buffer after each feed(). After an error or kInterrupted the assembler is
// spent; feeding it again is an error.
class WgDeviceDumpAssembler {
 public:
  // `name` is the interface asked for; it names errors and is replaced by WGDEVICE_A_IFNAME.
  WgDeviceDumpAssembler(std::uint16_t family, std::uint32_t seq, std::string_view name);

  Result<DumpStatus> feed(std::span<const std::uint8_t> datagram);
  // The device, once feed() returned kDone. Moves it out.
  Device take_device() { return std::move(device_); }
  // The errno the kernel ended the dump with (NLMSG_ERROR / NLMSG_DONE), 0 if none.
  int kernel_errno() const { return kernel_errno_; }

 private:
  Result<void> decode_message(std::span<const std::uint8_t> payload);
  Result<void> decode_peer(std::span<const std::uint8_t> nest);

  Device device_;
  std::uint16_t family_;
  std::uint32_t seq_;
  int kernel_errno_ = 0;
  bool finished_ = false;
};

// --- WG_CMD_SET_DEVICE ----------------------------------------------------------------------

// WGDEVICE_A_IFNAME + WGDEVICE_A_PEERS { { PUBLIC_KEY, FLAGS = WGPEER_F_UPDATE_ONLY, ENDPOINT } }
// with NLM_F_REQUEST|NLM_F_ACK, and nothing else: no keys, no allowed IPs, no other flags, so a
// peer removed meanwhile is not re-created. The endpoint's zone must already be resolved to a
// numeric scope id (kInvalidInput otherwise): codecs never look names up.
Result<std::vector<std::uint8_t>> encode_wg_set_endpoint(std::uint16_t family, std::uint32_t seq,
                                                         std::string_view ifname,
                                                         const PeerEndpointUpdate& update);
// The ack: NLMSG_ERROR with error 0 is success; an error maps via netlink_errno_error.
// If `kernel_errno` is given it receives the errno (0 on success or on malformed input).
Result<void> decode_netlink_ack(std::span<const std::uint8_t> datagram, std::uint32_t seq,
                                std::string_view what, int* kernel_errno = nullptr);

// --- rtnetlink RTM_GETLINK ------------------------------------------------------------------

std::vector<std::uint8_t> encode_rtm_getlink_dump(std::uint32_t seq);

struct KernelLink {
  std::string name;
  std::uint32_t ifindex = 0;
  friend bool operator==(const KernelLink&, const KernelLink&) = default;
};

// Collects the links whose IFLA_LINKINFO/IFLA_INFO_KIND is "wireguard", in dump order.
class WgLinkDumpAssembler {
 public:
  explicit WgLinkDumpAssembler(std::uint32_t seq) : seq_(seq) {}
  Result<DumpStatus> feed(std::span<const std::uint8_t> datagram);
  std::vector<KernelLink> take_links() { return std::move(links_); }

 private:
  std::vector<KernelLink> links_;
  std::uint32_t seq_;
  bool finished_ = false;
};

}  // namespace wgtrack
