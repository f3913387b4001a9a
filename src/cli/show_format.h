// Pure formatters for `wgtrack show`: the wg(8)-like text view and the --json document.
// Neither can print a private or preshared key: the model does not hold them.
#pragma once

#include <string>
#include <vector>

#include "wireguard/device.h"

namespace wgtrack {

// Text: one block per interface, peers ordered as wg(8) does (most recent handshake first,
// never-seen last), handshake age relative to `now`, human byte counts.
std::string format_show_text(const std::vector<Device>& devices, WallTime now);

// {"interfaces":[{"name","backend","public_key","listen_port","fwmark","peers":[{"public_key",
//  "endpoint","allowed_ips","latest_handshake","rx_bytes","tx_bytes","persistent_keepalive"}]}]}
// latest_handshake: unix seconds or null (never); endpoint, public_key, persistent_keepalive:
// null when unset. Peers in backend order. Appends to `out` (one allocation for 10k peers).
void append_show_json(std::string& out, const std::vector<Device>& devices);

}  // namespace wgtrack
