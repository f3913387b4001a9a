// Value syntaxes of wgtrack.conf: durations, booleans, counts. Pure; errors say what was
// expected so the config layer can quote them next to the bad value.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace wgtrack::config {

// Configuration durations have millisecond resolution (cycle_time may be 0.1 s).
using Duration = std::chrono::milliseconds;

// Longest accepted duration: one year, far above any sensible threshold, far below overflow.
inline constexpr Duration kMaxDuration = std::chrono::hours(24 * 366);

// "30" and "0.5" are seconds; units ms, s, m, h, d (case-insensitive, optional space before the
// unit): "500ms", "30s", "5m", "1.5h", "90d" (a day is 24 h). No sign, no exponent. A non-zero value below 1 ms and
// values above kMaxDuration are errors (kInvalidInput).
Result<Duration> parse_duration(std::string_view text);
// Shortest exact text: "500ms", "30s", "5m", "1h", "1.5s" -> "1500ms". Round-trips.
std::string format_duration(Duration d);

// true/false, yes/no, on/off, 1/0 (case-insensitive); nullopt for anything else.
std::optional<bool> parse_bool(std::string_view text);

// A decimal whole number in [min, max]; no sign, no spaces.
Result<std::uint32_t> parse_count(std::string_view text, std::uint32_t min, std::uint32_t max);

}  // namespace wgtrack::config
