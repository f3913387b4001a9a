// Dispatcher: wg(8)'s rule for choosing a backend. An interface with a UAPI socket
// (/var/run/wireguard/NAME.sock) is userspace, every other one is kernel; listing shows both.
#pragma once

#include <functional>

#include "wireguard/backend.h"

namespace wgtrack {

class Dispatcher final : public WireGuardBackend {
 public:
  using IsUserspace = std::function<bool(std::string_view name)>;

  Dispatcher(WireGuardBackend& kernel, WireGuardBackend& userspace, IsUserspace is_userspace)
      : kernel_(kernel), userspace_(userspace), is_userspace_(std::move(is_userspace)) {}

  // Both lists merged and sorted; a name present in both counts as userspace (as in wg(8)).
  // A kernel without WireGuard (kUnsupported) is not an error: it simply has no interfaces.
  Result<std::vector<InterfaceRef>> list_interfaces() override;
  Result<Device> get_device(std::string_view name) override;
  Result<void> update_peer_endpoint(std::string_view name,
                                    const PeerEndpointUpdate& update) override;

 private:
  WireGuardBackend& pick(std::string_view name) {
    return is_userspace_(name) ? userspace_ : kernel_;
  }

  WireGuardBackend& kernel_;
  WireGuardBackend& userspace_;
  IsUserspace is_userspace_;
};

}  // namespace wgtrack
