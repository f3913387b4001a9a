// Value writers for the JSON API documents (json_api.h), beside core/json.h's strings and
// integers: timestamps and fixed-point decimals without snprintf/gmtime, because the status
// document writes two timestamps and several decimals for each of 10,000 peers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/endpoint.h"
#include "core/public_key.h"
#include "wireguard/device.h"

namespace wgtrack {

// Appends `t` as a quoted RFC 3339 UTC timestamp with milliseconds,
// "2025-11-22T00:25:23.000Z": the same text as format_rfc3339_utc (events/event_json.h),
// which stays the reference (a test compares the two). Years outside 0..9999 are clamped
// to that range's ends: a WallTime from a backend is at most year 2262 (kMaxWallSeconds).
void append_rfc3339_utc(std::string& out, WallTime t);

// Appends value / 10^decimals as a JSON number with at most `decimals` (<= 9) fraction
// digits and no trailing zeros: (1500000, 6) -> 1.5, (25000000, 6) -> 25, (-5, 3) -> -0.005.
void append_fixed(std::string& out, std::int64_t value, int decimals);

// Appends `v` rounded to 3 decimals (append_fixed); non-finite values become null (JSON has
// no NaN or infinity).
void append_decimal3(std::string& out, double v);

// Unix seconds (floor) of `t`.
std::int64_t unix_seconds(WallTime t);

// The fields `wgtrack show --json` and the API share, written the same way by both:
// "ENDPOINT" or null (escaped: a zone name is backend-supplied text); `scratch` is reused.
void append_json_endpoint(std::string& out, const Endpoint& e, std::string& scratch);
void append_json_endpoint(std::string& out, const std::optional<Endpoint>& e,
                          std::string& scratch);
// ["10.0.0.2/32","2001:db8::/64"] (digits, dots, colons and '/': nothing to escape).
void append_json_prefixes(std::string& out, const std::vector<IpPrefix>& prefixes);
// Opens an interface object: {"name":…,"backend":…,"public_key":"…" or null,"listen_port":…,
// "fwmark":… — the caller adds its own fields and the closing brace.
void append_json_interface_head(std::string& out, std::string_view name, BackendKind backend,
                                const std::optional<PublicKey>& public_key,
                                std::uint16_t listen_port, std::uint32_t fwmark);

}  // namespace wgtrack
