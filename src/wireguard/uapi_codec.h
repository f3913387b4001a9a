// Pure codec for the WireGuard cross-platform userspace API (wireguard.com/xplatform), spoken
// over /var/run/wireguard/NAME.sock by wireguard-go, boringtun and others.
//
//   request  "get=1\n\n"
//   reply    "key=value\n" lines (device keys, then one block per peer starting at
//            "public_key="), then "errno=N\n\n". Keys are hex; sec=0 && nsec=0 means "never";
//            an all-zero preshared key means none.
//
// Decoding drops the private key (after deriving the device's public key from it) and every
// preshared key; the caller zeroes the reply buffer afterwards.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "wireguard/device.h"

namespace wgtrack {

std::string_view uapi_get_request();
// Decodes a complete "get" reply for interface `name`. A missing "errno=" line (truncation),
// a malformed value or errno != 0 is an error; unknown keys are ignored (newer versions).
Result<Device> decode_uapi_get(std::string_view reply, std::string_view name);

// "set=1\npublic_key=HEX\nupdate_only=true\nendpoint=EP\n\n": exactly the peer, the endpoint,
// and update-only, so a peer removed meanwhile is not re-created.
std::string encode_uapi_set_endpoint(const PeerEndpointUpdate& update);
// Decodes a "set" reply ("errno=N\n\n").
Result<void> decode_uapi_set_reply(std::string_view reply);

// True once `buffer` holds a complete reply (ends with the blank line after errno=).
bool uapi_reply_complete(std::string_view buffer);

}  // namespace wgtrack
