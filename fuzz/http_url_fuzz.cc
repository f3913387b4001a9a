// parse_http_url (webhook / influx_http URLs from the config file), the header-list syntax of
// `headers = ...`, and influx_retime (rewrites line-protocol timestamps): no crash, no UB, and
//  - an accepted URL prints to a URL that parses to the same parts;
//  - accepted headers never carry CR or LF (no header injection);
//  - retiming keeps the number of lines.
#include <cstdlib>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http_client/http_url.h"
#include "sinks/influx/influx_http_options.h"
#include "sinks/webhook/webhook_options.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto url = wgtrack::parse_http_url(text)) {
    auto again = wgtrack::parse_http_url(url->to_string());
    if (!again.ok() || !(*again == *url)) abort();
    (void)wgtrack::percent_encode(url->target);
  }
  if (auto headers = wgtrack::parse_header_list(text)) {
    for (const auto& h : *headers) {
      if (h.name.find_first_of("\r\n") != std::string::npos) abort();
      if (h.value.find_first_of("\r\n") != std::string::npos) abort();
    }
  }
  const std::string retimed = wgtrack::influx_retime(text, wgtrack::InfluxPrecision::kSeconds);
  std::size_t in = 0, out = 0;
  for (char c : text) in += c == '\n';
  for (char c : retimed) out += c == '\n';
  if (in != out) abort();
  (void)wgtrack::form_encode(text);
  (void)wgtrack::base64_encode(text);
  return 0;
}
