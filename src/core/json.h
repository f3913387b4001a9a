// Minimal JSON text helpers for hand-written formatters (hot paths: no DOM, no allocation per
// value beyond the output string).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace wgtrack {

// Appends `s` as a quoted JSON string; control characters and non-ASCII bytes that do not form
// valid UTF-8 are escaped as \uXXXX (invalid bytes become U+FFFD), so the output is always
// valid JSON whatever a peer or a config file supplied.
void append_json_string(std::string& out, std::string_view s);
void append_uint(std::string& out, std::uint64_t v);
// Decodes the UTF-8 sequence starting at s[i] (RFC 3629: no overlongs, no surrogates, at most
// U+10FFFF): returns its length in bytes and sets `cp`, or returns 0 if it is not valid UTF-8.
// ASCII is a sequence of length 1.
std::size_t decode_utf8(std::string_view s, std::size_t i, std::uint32_t& cp);
void append_int(std::string& out, std::int64_t v);

}  // namespace wgtrack
