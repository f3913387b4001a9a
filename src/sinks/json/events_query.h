// The query string of /api/v1/events: `since=N` (default 0: everything the ring holds) and
// `limit=N` (default and maximum kMaxEventsLimit). Pure: the HTTP server hands over the raw
// text after '?', and answers 400 with the error's message when this fails.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/result.h"

namespace wgtrack {

inline constexpr std::size_t kMaxEventsLimit = 1000;

struct EventsQuery {
  std::uint64_t since = 0;
  std::size_t limit = kMaxEventsLimit;
  friend bool operator==(const EventsQuery&, const EventsQuery&) = default;
};

// Parses "since=12&limit=50" (either, both, in any order, or nothing). Values are decimal
// digits only (no sign, no spaces, no percent-encoding; since fits uint64, limit is 1..
// kMaxEventsLimit — a larger limit is clamped, 0 is an error). A repeated or empty parameter
// is kInvalidInput; unknown parameters are ignored (cache busters like `_=1700000000`).
Result<EventsQuery> parse_events_query(std::string_view query);

}  // namespace wgtrack
