#include "sinks/webhook/grace_filter.h"

#include <algorithm>

namespace wgtrack {

std::vector<Event> GraceFilter::offer(const Event& event, MonoTime now) {
  if (grace_.count() <= 0) return {event};
  Key key{event.interface, event.peer};
  const bool is_disconnect = event.type == EventType::kStatusChange && event.status == "down";
  auto it = held_.find(key);
  if (it == held_.end()) {
    if (!is_disconnect) return {event};
    held_.emplace(std::move(key), Held{event, now + grace_, sequence_++});
    return {};
  }
  if (is_disconnect) return {};  // already held: the first one keeps its deadline
  const bool ends_hold =
      event.type == EventType::kStatusChange || event.type == EventType::kPeerRemoved;
  if (!ends_hold) return {event};

  // The receiver never saw the disconnect: from its point of view the peer is still in the
  // status the held event left.
  std::string last_seen = std::move(it->second.event.old_status);
  held_.erase(it);
  ++suppressed_;
  if (event.type == EventType::kStatusChange && event.status == last_seen) return {};
  Event rewritten = event;
  rewritten.old_status = std::move(last_seen);
  return {std::move(rewritten)};
}

std::vector<Event> GraceFilter::due(MonoTime now) {
  std::vector<Held*> ready;
  for (auto& [key, held] : held_) {
    if (held.due <= now) ready.push_back(&held);
  }
  std::sort(ready.begin(), ready.end(),
            [](const Held* a, const Held* b) { return a->sequence < b->sequence; });
  std::vector<Event> out;
  out.reserve(ready.size());
  for (Held* h : ready) out.push_back(std::move(h->event));
  std::erase_if(held_, [now](const auto& entry) { return entry.second.due <= now; });
  return out;
}

std::optional<MonoTime> GraceFilter::next_deadline() const {
  std::optional<MonoTime> next;
  for (const auto& [key, held] : held_) {
    if (!next || held.due < *next) next = held.due;
  }
  return next;
}

}  // namespace wgtrack
