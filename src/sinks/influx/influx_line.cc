#include "sinks/influx/influx_line.h"

#include <charconv>
#include <limits>

namespace wgtrack::influx {

void append_tag_value(std::string& out, std::string_view value) {
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    switch (c) {
      case ',':
        out += "\\,";
        break;
      case '=':
        out += "\\=";
        break;
      case ' ':
        out += "\\ ";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\\':
        out += i + 1 == value.size() ? "\\\\" : "\\";
        break;
      default:
        out += c;
    }
  }
}

void append_tag(std::string& out, std::string_view key, std::string_view value) {
  out += ',';
  append_tag_value(out, key);
  out += '=';
  append_tag_value(out, value);
}

void append_string_field(std::string& out, std::string_view value) {
  out += '"';
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
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
