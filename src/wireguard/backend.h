// WireGuardBackend: the one seam between wgtrack and a WireGuard implementation.
// Implementations: KernelBackend (generic netlink), UapiBackend (userspace UAPI socket),
// Dispatcher (wg(8)'s rule over both), and the recording fake in tests/support.
// Every call is bounded in time; errors are values (NotFound, PermissionDenied, Protocol,
// Timeout, ...) and a malformed reply is an error, never a crash.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "wireguard/device.h"

namespace wgtrack {

struct InterfaceRef {
  std::string name;
  BackendKind backend;
  friend bool operator==(const InterfaceRef&, const InterfaceRef&) = default;
};

class WireGuardBackend {
 public:
  virtual ~WireGuardBackend() = default;

  // All WireGuard interfaces this backend can see, sorted by name.
  virtual Result<std::vector<InterfaceRef>> list_interfaces() = 0;
  // A full read of one interface. NotFound if it does not exist (any more).
  virtual Result<Device> get_device(std::string_view name) = 0;
  // Sets one peer's endpoint with update-only semantics (see PeerEndpointUpdate).
  // Updating a peer that does not exist succeeds without creating it, as the kernel does.
  virtual Result<void> update_peer_endpoint(std::string_view name,
                                            const PeerEndpointUpdate& update) = 0;
};

}  // namespace wgtrack
