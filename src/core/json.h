// Minimal JSON text helpers for hand-written formatters (hot paths: no DOM, no allocation per
// value beyond the output string).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/utf8.h"  // decode_utf8

namespace wgtrack {

// Appends `s` as a quoted JSON string; control characters and non-ASCII bytes that do not form
// valid UTF-8 are escaped as \uXXXX (invalid bytes become U+FFFD), so the output is always
// valid JSON whatever a peer or a config file supplied.
void append_json_string(std::string& out, std::string_view s);
void append_uint(std::string& out, std::uint64_t v);
void append_int(std::string& out, std::int64_t v);

}  // namespace wgtrack
