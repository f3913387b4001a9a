// UTF-8 validation and repair (RFC 3629) for every output that must be valid UTF-8: Prometheus
// text format 0.0.4 requires UTF-8 label values, InfluxDB line protocol is UTF-8, and the JSON,
// journal, exec and log outputs promise it too. Peer names from config files and wg-quick
// comments, and interface names from the kernel, are bytes nobody checked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace wgtrack {

// U+FFFD REPLACEMENT CHARACTER in UTF-8.
inline constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

// Decodes the UTF-8 sequence starting at s[i] (RFC 3629: no overlongs, no surrogates, at most
// U+10FFFF): returns its length in bytes and sets `cp`, or returns 0 if it is not valid UTF-8.
// ASCII is a sequence of length 1.
std::size_t decode_utf8(std::string_view s, std::size_t i, std::uint32_t& cp);

// The length of the longest prefix of `s` that is valid UTF-8 (s.size() if all of it is).
// ASCII text, the common case, is checked eight bytes at a time.
std::size_t valid_utf8_prefix(std::string_view s);
inline bool is_valid_utf8(std::string_view s) { return valid_utf8_prefix(s) == s.size(); }

// Appends `s` with every byte that does not start a valid UTF-8 sequence replaced by U+FFFD
// (one per byte, as the JSON formatter writes \ufffd per byte). Valid text, ASCII or not, is
// copied unchanged with one append. Formatters call it on the runs between their escapes: the
// characters they escape are ASCII, so a cut there never splits a valid sequence.
void append_valid_utf8(std::string& out, std::string_view s);

}  // namespace wgtrack
