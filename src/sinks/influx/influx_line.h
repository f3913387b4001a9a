// Low-level pieces of InfluxDB line protocol
// (https://docs.influxdata.com/influxdb/v2/reference/syntax/line-protocol/):
//   measurement,tag=value,tag=value field=value,field=value timestamp
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace wgtrack::influx {

// A tag value (or key): comma, equals sign and space are backslash-escaped, as the protocol
// requires. Tab, CR, LF and FF become \t \r \n \f (Telegraf's serializer does the same) so a
// hostile value can never end the line; a trailing backslash is doubled so it cannot escape
// the separator that follows it. Line protocol is UTF-8: bytes that are not valid UTF-8 become
// U+FFFD. An empty value is not allowed by the protocol: callers must drop the tag instead.
void append_tag_value(std::string& out, std::string_view value);
// `,key=value` with the value escaped.
void append_tag(std::string& out, std::string_view key, std::string_view value);
// A string field value in double quotes; `"` and `\` are backslash-escaped, bytes that are not
// valid UTF-8 become U+FFFD.
void append_string_field(std::string& out, std::string_view value);
// An integer field (`123i`). Unsigned values above INT64_MAX are clamped: InfluxDB 1.x reads
// `i` as int64, and the `u` suffix needs a server-side opt-in.
void append_int_field(std::string& out, std::int64_t value);
void append_uint_field(std::string& out, std::uint64_t value);

}  // namespace wgtrack::influx
