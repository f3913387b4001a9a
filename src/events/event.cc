#include "events/event.h"

#include <array>

namespace wgtrack {
namespace {

constexpr std::array<std::pair<EventType, std::string_view>, 8> kNames{{
    {EventType::kInitialStatus, "initial_status"},
    {EventType::kStatusChange, "status_change"},
    {EventType::kPeerAdded, "peer_added"},
    {EventType::kPeerRemoved, "peer_removed"},
    {EventType::kEndpointChanged, "endpoint_changed"},
    {EventType::kHandshake, "handshake"},
    {EventType::kResolveFailed, "resolve_failed"},
    {EventType::kCandidateUnreachable, "candidate_unreachable"},
}};

}  // namespace

std::string_view to_string(EventType type) {
  for (const auto& [t, n] : kNames) {
    if (t == type) return n;
  }
  return "unknown";
}

std::optional<EventType> parse_event_type(std::string_view text) {
  for (const auto& [t, n] : kNames) {
    if (n == text) return t;
  }
  return std::nullopt;
}

}  // namespace wgtrack
