// Feeds arbitrary bytes to the wgtrack.conf reader and the config builder: they must return a
// document and diagnostics, never crash, hang or read out of bounds. Every diagnostic must
// format as exactly one line of valid UTF-8, and the built policy must be usable.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "config/config.h"
#include "core/utf8.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace wgtrack::config;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  ConfigResult r = parse_config(in, "fuzz.conf");
  for (const auto& d : r.diagnostics) {
    const std::string line = format_diagnostic(d);
    if (line.find('\n') != std::string::npos || line.find('\r') != std::string::npos) abort();
    if (!wgtrack::is_valid_utf8(line)) abort();
  }
  const Config& c = r.config;
  if (c.defaults.handshake_stale > c.defaults.handshake_down && r.ok()) abort();
  for (const auto& i : c.interfaces) (void)c.interface_thresholds(i.name);
  for (const auto& p : c.peers) {
    const auto policy =
        p.key ? c.peer_policy("wg0", *p.key, "") : c.peer_policy("wg0", {}, p.selector);
    for (const auto& e : policy.endpoints) (void)e.to_string();
    (void)format_duration(policy.thresholds.handshake_down);
  }
  for (const auto& o : c.outputs) {
    if (o.type.empty() && r.ok()) abort();
  }
  return 0;
}
