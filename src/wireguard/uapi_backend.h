// UapiBackend: userspace WireGuard (wireguard-go, boringtun, ...) over the UAPI unix socket
// SOCKET_DIR/NAME.sock. Every exchange is bounded by a deadline (a hung implementation must
// not freeze us). Sockets are never unlinked, not even stale ones (wg(8) removes stale
// sockets; a monitor must not change what it watches).
#pragma once

#include <chrono>
#include <string>

#include "wireguard/backend.h"

namespace wgtrack {

class UapiBackend final : public WireGuardBackend {
 public:
  static constexpr const char* kDefaultSocketDir = "/var/run/wireguard";
  static constexpr std::size_t kMaxReplyBytes = 256u << 20;  // 65,536 peers need ~25 MiB

  // Which sockets list_interfaces() reports. /var/run/wireguard is shared by every network
  // namespace, so it also holds the sockets of interfaces that live in other namespaces.
  enum class Scope {
    kAll,            // every socket, as wg(8) lists them (`wgtrack show`)
    kThisNamespace,  // only interfaces that exist in our network namespace (the daemon: it
                     // probes through them, and "removed" must mean removed here)
  };

  explicit UapiBackend(std::string socket_dir = kDefaultSocketDir,
                       std::chrono::milliseconds timeout = std::chrono::seconds(2),
                       Scope scope = Scope::kAll);

  Result<std::vector<InterfaceRef>> list_interfaces() override;
  Result<Device> get_device(std::string_view name) override;
  Result<void> update_peer_endpoint(std::string_view name,
                                    const PeerEndpointUpdate& update) override;

  // True if SOCKET_DIR/NAME.sock exists and is a socket (wg(8)'s rule for "userspace").
  bool has_socket(std::string_view name) const;
  // The raw "get" reply, unparsed (for benchmarks: the floor a full read cannot beat).
  // The caller must treat the bytes as secret (they hold the private key).
  Result<std::string> raw_get(std::string_view name);

 private:
  Result<std::string> exchange(std::string_view name, std::string_view request);
  std::string socket_path(std::string_view name) const;

  std::string socket_dir_;
  std::chrono::milliseconds timeout_;
  Scope scope_;
};

// Interface names as the kernel allows them: 1..15 bytes, no '/', no whitespace, not "." or "..".
bool is_valid_interface_name(std::string_view name);

}  // namespace wgtrack
