#include "sinks/influx/influx_line.h"

#include <charconv>
#include <limits>

#include "core/utf8.h"

namespace wgtrack::influx {

void append_tag_value(std::string& out, std::string_view value) {
  // Runs of plain text are appended at once (with bad UTF-8 replaced); the escapes are ASCII.
  std::size_t start = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    std::string_view escape;
    switch (value[i]) {
      case ',': escape = "\\,"; break;
      case '=': escape = "\\="; break;
      case ' ': escape = "\\ "; break;
      case '\t': escape = "\\t"; break;
      case '\r': escape = "\\r"; break;
      case '\n': escape = "\\n"; break;
      case '\f': escape = "\\f"; break;
      case '\\':
        if (i + 1 == value.size()) escape = "\\\\";
        break;
      default: break;
    }
    if (escape.empty()) continue;
    append_valid_utf8(out, value.substr(start, i - start));
    out += escape;
    start = i + 1;
  }
  append_valid_utf8(out, value.substr(start));
}

void append_tag(std::string& out, std::string_view key, std::string_view value) {
  out += ',';
  append_tag_value(out, key);
  out += '=';
  append_tag_value(out, value);
}

void append_string_field(std::string& out, std::string_view value) {
  out += '"';
  std::size_t start = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '"' && value[i] != '\\') continue;
    append_valid_utf8(out, value.substr(start, i - start));
    out += '\\';
    start = i;  // the quote or backslash itself starts the next run
  }
  append_valid_utf8(out, value.substr(start));
  out += '"';
}

void append_int_field(std::string& out, std::int64_t value) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, r.ptr);
  out += 'i';
}

void append_uint_field(std::string& out, std::uint64_t value) {
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  append_int_field(out, static_cast<std::int64_t>(value > kMax ? kMax : value));
}

}  // namespace wgtrack::influx
