#include "cli/show_command.h"

#include "cli/show_format.h"
#include "config/config.h"
#include "monitor/peer_policy.h"

namespace wgtrack {
namespace {

std::string describe(const Error& e) {
  std::string m = e.message;
  if (e.code == ErrorCode::kPermissionDenied && m.find("CAP_NET_ADMIN") == std::string::npos &&
      m.find("needs root") == std::string::npos)
    m += " (reading WireGuard state needs root or CAP_NET_ADMIN)";
  return m;
}

}  // namespace

int run_show(WireGuardBackend& backend, const ShowOptions& options, WallTime now,
             std::ostream& out, std::ostream& err) {
  std::vector<Device> devices;
  int rc = 0;
  if (options.interface) {
    auto d = backend.get_device(*options.interface);
    if (!d) {
      err << "wgtrack: " << *options.interface << ": " << describe(d.error()) << "\n";
      return 1;
    }
    devices.push_back(std::move(*d));
  } else {
    auto list = backend.list_interfaces();
    if (!list) {
      err << "wgtrack: cannot list interfaces: " << describe(list.error()) << "\n";
      return 1;
    }
    for (const InterfaceRef& ref : *list) {
      auto d = backend.get_device(ref.name);
      if (d) {
        devices.push_back(std::move(*d));
      } else if (d.error().code != ErrorCode::kNotFound) {
        // Gone between list and read is normal churn; anything else is reported.
        err << "wgtrack: " << ref.name << ": " << describe(d.error()) << "\n";
        rc = 1;
      }
    }
    if (devices.empty() && rc == 0 && !options.json)
      err << "wgtrack: no WireGuard interfaces found\n";
  }
  ProbeTargetOf probe_target;
  if (options.config != nullptr) {
    const config::Config& cfg = *options.config;
    probe_target = [&cfg](const std::string& interface,
                          const Peer& peer) -> std::optional<ProbeTargetChoice> {
      const ResolvedPeerPolicy policy = resolve_peer_policy(cfg, interface, peer.public_key);
      return select_probe_target(peer.allowed_ips, policy.probe_target, policy.probe_hints);
    };
  }
  if (options.json) {
    std::string s;
    append_show_json(s, devices, probe_target);
    out << s;
  } else {
    out << format_show_text(devices, now, probe_target);
  }
  return rc;
}

}  // namespace wgtrack
