// Small text helpers shared by the config parsers (internal to src/config).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace wgtrack::config {

// Strips spaces and tabs at both ends (not other whitespace: a CR or NUL inside a line is data
// the parsers must see and reject).
std::string_view trim(std::string_view s);
std::string lower(std::string_view s);                 // ASCII only
bool iequals(std::string_view a, std::string_view b);  // ASCII case-insensitive
// True if `s` holds a byte < 0x20 other than '\t', or DEL.
bool has_control(std::string_view s);
// Levenshtein distance, capped: returns `cap + 1` as soon as the distance exceeds `cap`.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t cap);

// Calls fn(line, line_number) for each line (1-based). Drops a leading UTF-8 BOM, splits at
// '\n' and removes one '\r' before it (CRLF). A final line without '\n' is still a line.
template <typename Fn>
void for_each_line(std::string_view text, Fn&& fn) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::size_t no = 0;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    fn(line, ++no);
  }
}

}  // namespace wgtrack::config
