#include "sinks/prometheus/prometheus_text.h"

#include <charconv>

#include "core/utf8.h"

namespace wgtrack::prom {

void append_family(std::string& out, std::string_view name, std::string_view type,
                   std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void append_label_value(std::string& out, std::string_view value) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (c != '\\' && c != '"' && c != '\n') continue;
    append_valid_utf8(out, value.substr(start, i - start));
    out += '\\';
    out += c == '\n' ? 'n' : c;
    start = i + 1;
  }
  append_valid_utf8(out, value.substr(start));
}

void append_label(std::string& out, std::string_view name, std::string_view value, bool first) {
  if (!first) out += ',';
  out += name;
  out += "=\"";
  append_label_value(out, value);
  out += '"';
}

void append_uint(std::string& out, std::uint64_t value) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, r.ptr);
}

void append_int(std::string& out, std::int64_t value) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, r.ptr);
}

char* format_seconds(char* p, std::chrono::nanoseconds value) {
  // Exact decimal from the integer nanoseconds (a double division would print 1763771000.25 as
  // 1763771000.2499998): whole seconds, then up to nine fraction digits without trailing zeros.
  std::int64_t ns = value.count();
  std::uint64_t mag = ns < 0 ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
  if (ns < 0) *p++ = '-';
  p = std::to_chars(p, p + 20, mag / 1'000'000'000).ptr;
  std::uint64_t frac = mag % 1'000'000'000;
  if (frac == 0) return p;
  int n = 9;
  while (frac % 10 == 0) {
    frac /= 10;
    --n;
  }
  *p++ = '.';
  for (int k = n - 1; k >= 0; --k) {
    p[k] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  return p + n;
}

void append_seconds(std::string& out, std::chrono::nanoseconds value) {
  char buf[kMaxSecondsChars];
  out.append(buf, format_seconds(buf, value));
}

}  // namespace wgtrack::prom
