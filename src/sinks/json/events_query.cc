#include "sinks/json/events_query.h"

#include <algorithm>
#include <charconv>
#include <string>

namespace wgtrack {
namespace {

Error invalid(std::string message) { return Error{ErrorCode::kInvalidInput, std::move(message)}; }

bool parse_digits(std::string_view text, std::uint64_t& out) {
  if (text.empty()) return false;
  // from_chars accepts a prefix ("12x" parses 12): every character must be a digit.
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && p == text.data() + text.size();
}

}  // namespace

Result<EventsQuery> parse_events_query(std::string_view query) {
  EventsQuery q;
  bool seen_since = false, seen_limit = false;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (part.empty()) continue;  // "a=1&&b=2", a trailing '&'
    const std::size_t eq = part.find('=');
    const std::string_view name = part.substr(0, eq);
    const std::string_view value =
        eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1);
    if (name != "since" && name != "limit") continue;
    bool& seen = name == "since" ? seen_since : seen_limit;
    if (seen) return invalid(std::string(name) + " given twice");
    seen = true;
    std::uint64_t v = 0;
    if (!parse_digits(value, v)) {
      return invalid(std::string(name) + " must be a non-negative integer");
    }
    if (name == "since") {
      q.since = v;
    } else {
      if (v == 0) return invalid("limit must be at least 1");
      q.limit = static_cast<std::size_t>(std::min<std::uint64_t>(v, kMaxEventsLimit));
    }
  }
  return q;
}

}  // namespace wgtrack
