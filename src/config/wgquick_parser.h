// Reader for wg-quick configuration files (/etc/wireguard/NAME.conf). Pure: text in, model +
// diagnostics out. Keeps only what wgtrack needs to know about configured peers; never resolves
// an Endpoint (it stays a HostPort) and never keeps a private or preshared key: their values
// are not stored and never appear in a diagnostic.
//
// Syntax as wg(8) reads it (wireguard-tools src/config.c): section and key names are
// case-insensitive, everything after '#' is a comment (inline too, commit 437116f), whitespace
// inside keys and values is ignored. Friendly names come from comments:
//   - "# Name = laptop" or "# friendly_name = laptop" inside a [Peer] section names that peer
//     (MindFlavor prometheus_wireguard_exporter style);
//   - "# Name: laptop" or PiVPN's "### begin laptop ###" in the run of comment lines directly
//     above a [Peer] header names the peer below (a "# Name = x" there does too, unless it sits
//     inside a previous [Peer] section: then it is that section's);
//   - "# Name: laptop" elsewhere inside a [Peer] section names that peer.
// AllowedIPs and Address keep the host bits as written (172.25.1.1/24), which wg(8) drops: they
// say which tunnel address the peer has.
// An in-section name wins over one above the header.
//
// Diagnostics:
//   error:   a [Peer] without a valid PublicKey, with an invalid Endpoint, or repeating an earlier
//            peer's key: that peer is skipped, the others are kept.
//   warning: unknown sections/keys, keys outside sections, malformed lines, bad ListenPort,
//            Address, AllowedIPs entry (dropped), PersistentKeepalive or PresharedKey, names
//            with control characters.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostic.h"
#include "config/interface_name.h"
#include "core/endpoint.h"
#include "core/host_port.h"
#include "core/public_key.h"

namespace wgtrack::config {

struct WgQuickPeer {
  PublicKey public_key;
  std::optional<HostPort> endpoint;        // unresolved, as configured
  std::vector<IpPrefix> allowed_ips;       // all AllowedIPs lines, in order
  std::uint16_t persistent_keepalive = 0;  // seconds; 0 = off
  bool has_preshared_key = false;          // the key itself is never kept
  std::optional<std::string> name;         // friendly name from a comment
  std::size_t line = 0;                    // of the [Peer] header
};

struct WgQuickInterface {
  std::string name;  // the interface, from the file name
  std::string file;
  std::optional<std::uint16_t> listen_port;
  std::vector<IpPrefix> addresses;  // wg-quick Address (a bare address is a host prefix)
  // wg-quick DNS = addresses (port 0), in order; its non-address entries are search domains
  // (wg-quick(8)) and are not kept.
  std::vector<Endpoint> dns;
  std::vector<WgQuickPeer> peers;  // valid peers, in file order

  // Binary search through `by_key` when it indexes `peers` (parse_wgquick builds it; a hub's
  // file has 10,000 peers and every peer is looked up at every configuration load), else a
  // linear search (an interface put together by hand).
  const WgQuickPeer* find_peer(const PublicKey& key) const;
  std::vector<std::uint32_t> by_key;  // indexes into `peers`, sorted by public key
};

struct WgQuickParseResult {
  WgQuickInterface interface;
  std::vector<Diagnostic> diagnostics;
};

// `interface_name` is the device name (see interface_name_from_path); `file` labels diagnostics.
WgQuickParseResult parse_wgquick(std::string_view text, std::string_view file,
                                 std::string_view interface_name);

}  // namespace wgtrack::config
