#include "config/durations.h"

#include <charconv>

#include "config/text.h"

namespace wgtrack::config {
namespace {

Error bad(std::string what) { return Error(ErrorCode::kInvalidInput, std::move(what)); }

}  // namespace

Result<Duration> parse_duration(std::string_view text) {
  std::size_t i = 0;
  std::uint64_t whole = 0;
  std::size_t whole_digits = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (++whole_digits > 12) return bad("duration too large");
    whole = whole * 10 + static_cast<std::uint64_t>(text[i++] - '0');
  }
  // Fraction kept as frac / 10^frac_digits; digits beyond 9 cannot matter at ms resolution.
  std::uint64_t frac = 0, scale = 1;
  std::size_t frac_digits = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (frac_digits < 9) {
        frac = frac * 10 + static_cast<std::uint64_t>(text[i] - '0');
        scale *= 10;
      }
      ++frac_digits;
      ++i;
    }
    if (frac_digits == 0) return bad("missing digits after '.'");
  }
  if (whole_digits == 0) return bad("a duration starts with a number");
  const std::string unit = lower(trim(text.substr(i)));
  std::uint64_t unit_ms;
  if (unit.empty() || unit == "s") {
    unit_ms = 1000;
  } else if (unit == "ms") {
    unit_ms = 1;
  } else if (unit == "m") {
    unit_ms = 60'000;
  } else if (unit == "h") {
    unit_ms = 3'600'000;
  } else if (unit == "d") {
    unit_ms = 86'400'000;
  } else {
    return bad("unknown unit '" + unit.substr(0, 8) + "' (use ms, s, m, h or d)");
  }
  // whole <= max_ms (< 3.2e10, checked first) and unit_ms <= 8.64e7: the product fits in 64
  // bits (< 2.8e18).
  const std::uint64_t max_ms = static_cast<std::uint64_t>(kMaxDuration.count());
  if (whole > max_ms) return bad("duration too large");
  std::uint64_t ms = whole * unit_ms;
  // frac < scale <= 10^9, unit_ms <= 8.64e7: fits as well. Round to the nearest millisecond.
  ms += (frac * unit_ms + scale / 2) / scale;
  if (ms > max_ms) return bad("duration too large (max 1 year)");
  if (ms == 0 && (whole != 0 || frac != 0)) return bad("duration below 1 ms");
  return Duration(static_cast<std::int64_t>(ms));
}

std::string format_duration(Duration d) {
  const auto ms = d.count();
  if (ms == 0) return "0s";
  if (ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms % 60'000 == 0) return std::to_string(ms / 60'000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

std::optional<bool> parse_bool(std::string_view text) {
  const std::string t = lower(text);
  if (t == "true" || t == "yes" || t == "on" || t == "1") return true;
  if (t == "false" || t == "no" || t == "off" || t == "0") return false;
  return std::nullopt;
}

Result<std::uint32_t> parse_count(std::string_view text, std::uint32_t min, std::uint32_t max) {
  std::uint32_t v = 0;
  if (text.empty() || text[0] < '0' || text[0] > '9') return bad("expected a whole number");
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec == std::errc::result_out_of_range) return bad("number too large");
  if (ec != std::errc() || p != text.data() + text.size()) return bad("expected a whole number");
  if (v < min || v > max) {
    return bad("out of range " + std::to_string(min) + ".." + std::to_string(max));
  }
  return v;
}

}  // namespace wgtrack::config
