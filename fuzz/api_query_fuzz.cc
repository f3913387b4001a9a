// Feeds arbitrary text to the two request parsers of the JSON API: the /api/v1/events query
// string and the {key} of /api/v1/peers/{key}. They must answer a value or an error, never
// crash; what they accept must be in range, and an accepted key must name the same key in
// every text form.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sinks/json/events_query.h"
#include "sinks/json/json_api.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  auto q = wgtrack::parse_events_query(text);
  if (q.ok() && (q->limit == 0 || q->limit > wgtrack::kMaxEventsLimit)) std::abort();
  if (!q.ok() && q.error().message.empty()) std::abort();

  if (auto key = wgtrack::parse_peer_key(text)) {
    if (text.size() != 44 && text.size() != 64) std::abort();
    if (wgtrack::parse_peer_key(key->to_base64()) != key) std::abort();
    if (wgtrack::parse_peer_key(key->to_hex()) != key) std::abort();
  }
  return 0;
}
