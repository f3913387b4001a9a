// KernelBackend: in-kernel WireGuard over netlink. Lists wireguard links with an RTM_GETLINK
// dump (NETLINK_ROUTE), reads a device with a WG_CMD_GET_DEVICE dump and moves a peer with
// WG_CMD_SET_DEVICE (NETLINK_GENERIC, family "wireguard"). The bytes are netlink_codec's; this
// class only moves them. One socket per call (so a late or interrupted reply can never be
// mistaken for the next one), every wait bounded by poll() against one deadline per call,
// receive buffers zeroed after parsing (a dump carries the private key).
//
// Errors: no wireguard module -> kUnsupported; no such interface or not a wireguard one ->
// kNotFound; missing CAP_NET_ADMIN -> kPermissionDenied; no answer in time -> kTimeout; a dump
// interrupted by concurrent changes more than kMaxDumpRestarts times -> kTransient.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "wireguard/backend.h"

namespace wgtrack {

class KernelBackend final : public WireGuardBackend {
 public:
  static constexpr int kMaxDumpRestarts = 5;

  explicit KernelBackend(std::chrono::milliseconds timeout = std::chrono::seconds(2));

  Result<std::vector<InterfaceRef>> list_interfaces() override;
  Result<Device> get_device(std::string_view name) override;
  // An IPv6 endpoint's zone name ("%eth0") is mapped to its interface index here.
  Result<void> update_peer_endpoint(std::string_view name,
                                    const PeerEndpointUpdate& update) override;

 private:
  class Socket;
  // The generic netlink family id of "wireguard", resolved once and cached. A failure is
  // not cached: the module may be loaded later.
  Result<std::uint16_t> family(Socket& socket, std::chrono::steady_clock::time_point deadline);
  std::uint32_t next_seq() { return ++seq_; }
  static void name_scopes(Device& device);

  std::chrono::milliseconds timeout_;
  std::optional<std::uint16_t> family_;
  std::uint32_t seq_;
};

}  // namespace wgtrack
