// Pure formatters for `wgtrack show`: the wg(8)-like text view and the --json document.
// Neither can print a private or preshared key: the model does not hold them.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "probe/probe_target.h"
#include "wireguard/device.h"

namespace wgtrack {

// Where wgtrack's in-tunnel probes of a peer go, from the configuration (nullopt: not known,
// nothing is printed for the peer). Empty function: no configuration, no probe lines.
using ProbeTargetOf =
    std::function<std::optional<ProbeTargetChoice>(const std::string& interface, const Peer&)>;

// Text: one block per interface, peers ordered as wg(8) does (most recent handshake first,
// never-seen last), handshake age relative to `now`, human byte counts; with `probe_target`, a
// "probe target:" line per peer (the address and why, or why none).
std::string format_show_text(const std::vector<Device>& devices, WallTime now,
                             const ProbeTargetOf& probe_target = {});

// {"interfaces":[{"name","backend","public_key","listen_port","fwmark","peers":[{"public_key",
//  "endpoint","allowed_ips","latest_handshake","rx_bytes","tx_bytes","persistent_keepalive"}]}]}
// latest_handshake: unix seconds or null (never); endpoint, public_key, persistent_keepalive:
// null when unset. Peers in backend order. Appends to `out` (one allocation for 10k peers).
// With `probe_target`, each peer also has "probe_target":{"address":"10.0.0.2"|null,
// "source":"host_allowed_ip"} (the codes of docs/api.md's probes.target_source).
void append_show_json(std::string& out, const std::vector<Device>& devices,
                      const ProbeTargetOf& probe_target = {});

}  // namespace wgtrack
