// FakeBackend: an in-memory WireGuardBackend that records every write, for unit and scenario
// tests. Behaves like the kernel on update-only: an unknown peer is ignored, never created.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "wireguard/backend.h"

namespace wgtrack::testing {

class FakeBackend final : public WireGuardBackend {
 public:
  explicit FakeBackend(BackendKind kind = BackendKind::kKernel) : kind_(kind) {}

  void put(Device d) {
    d.backend = kind_;
    devices_[d.name] = std::move(d);
  }
  void remove(const std::string& name) { devices_.erase(name); }
  void fail_next(Error e) { next_error_ = std::move(e); }

  Result<std::vector<InterfaceRef>> list_interfaces() override {
    ++calls;
    if (auto e = take_error()) return *e;
    std::vector<InterfaceRef> out;
    for (const auto& [name, d] : devices_) out.push_back({name, kind_});
    return out;
  }
  Result<Device> get_device(std::string_view name) override {
    ++calls;
    if (auto e = take_error()) return *e;
    auto it = devices_.find(std::string(name));
    if (it == devices_.end()) return Error(ErrorCode::kNotFound, std::string(name) + ": no such device");
    return it->second;
  }
  Result<void> update_peer_endpoint(std::string_view name, const PeerEndpointUpdate& u) override {
    ++calls;
    updates.push_back({std::string(name), u});
    if (auto e = take_error()) return *e;
    auto it = devices_.find(std::string(name));
    if (it == devices_.end()) return Error(ErrorCode::kNotFound, std::string(name) + ": no such device");
    for (auto& p : it->second.peers) {
      if (p.public_key == u.public_key) p.endpoint = u.endpoint;
    }
    return success();
  }

  struct Update {
    std::string interface;
    PeerEndpointUpdate update;
  };
  std::vector<Update> updates;
  int calls = 0;

 private:
  std::optional<Error> take_error() {
    auto e = std::move(next_error_);
    next_error_.reset();
    return e;
  }

  BackendKind kind_;
  std::map<std::string, Device> devices_;
  std::optional<Error> next_error_;
};

}  // namespace wgtrack::testing
