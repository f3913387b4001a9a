#include "wireguard/dispatcher.h"

#include <algorithm>

namespace wgtrack {

Result<std::vector<InterfaceRef>> Dispatcher::list_interfaces() {
  auto user = userspace_.list_interfaces();
  if (!user) return user.error();
  auto kern = kernel_.list_interfaces();
  std::vector<InterfaceRef> out = std::move(*user);
  if (kern) {
    for (auto& k : *kern) {
      const bool dup = std::any_of(out.begin(), out.end(),
                                   [&](const InterfaceRef& u) { return u.name == k.name; });
      if (!dup) out.push_back(std::move(k));
    }
  } else if (kern.error().code != ErrorCode::kUnsupported) {
    return kern.error();
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

Result<Device> Dispatcher::get_device(std::string_view name) {
  auto d = pick(name).get_device(name);
  if (!d && d.error().code == ErrorCode::kUnsupported) {
    // Not userspace, and no kernel WireGuard at all: for the caller it simply does not exist.
    return Error(ErrorCode::kNotFound,
                 "no such WireGuard interface (no UAPI socket, and " + d.error().message + ")");
  }
  return d;
}

Result<void> Dispatcher::update_peer_endpoint(std::string_view name,
                                              const PeerEndpointUpdate& update) {
  return pick(name).update_peer_endpoint(name, update);
}

}  // namespace wgtrack
