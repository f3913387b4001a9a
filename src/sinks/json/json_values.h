// Value writers for the JSON API documents (json_api.h), beside core/json.h's strings and
// integers: timestamps and fixed-point decimals without snprintf/gmtime, because the status
// document writes two timestamps and several decimals for each of 10,000 peers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.h"

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

}  // namespace wgtrack
