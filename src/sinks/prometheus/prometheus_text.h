// Low-level pieces of the text exposition format 0.0.4 shared by the profiles
// (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace wgtrack::prom {

// `# HELP name help` and `# TYPE name type` (type: "counter", "gauge"). `help` is escaped
// (backslash and newline, the format's HELP rules).
void append_family(std::string& out, std::string_view name, std::string_view type,
                   std::string_view help);
// A label value with the format's escapes: \ -> \\, " -> \", newline -> \n. The format
// requires UTF-8 label values and Prometheus rejects the whole scrape over one invalid byte, so
// bytes that are not valid UTF-8 (a Latin-1 name in a config file, say) become U+FFFD.
void append_label_value(std::string& out, std::string_view value);
// `,name="value"` (or without the comma when `first`).
void append_label(std::string& out, std::string_view name, std::string_view value,
                  bool first = false);

void append_uint(std::string& out, std::uint64_t value);
void append_int(std::string& out, std::int64_t value);
// A duration or a time since the epoch as exact decimal seconds: "1763771123", "0.0015",
// "1763771000.25", "0.000000001".
void append_seconds(std::string& out, std::chrono::nanoseconds value);
// The same into a buffer of at least kMaxSecondsChars; returns the end.
inline constexpr std::size_t kMaxSecondsChars = 32;
char* format_seconds(char* p, std::chrono::nanoseconds value);

}  // namespace wgtrack::prom
