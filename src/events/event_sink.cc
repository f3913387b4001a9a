#include "events/event_sink.h"

namespace wgtrack {

EventSink::~EventSink() = default;

EventTypeSet EventTypeSet::of(std::initializer_list<EventType> types) {
  EventTypeSet s;
  for (EventType t : types) s.insert(t);
  return s;
}

Result<EventTypeSet> EventTypeSet::parse(std::string_view text) {
  const auto is_sep = [](char c) { return c == ',' || c == ' ' || c == '\t'; };
  EventTypeSet set;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_sep(text[i])) ++i;
    std::size_t j = i;
    while (j < text.size() && !is_sep(text[j])) ++j;
    if (j == i) break;
    const std::string_view word = text.substr(i, j - i);
    if (word == "all" || word == "*") {
      set = all();
    } else if (auto t = parse_event_type(word)) {
      set.insert(*t);
    } else {
      return Error(ErrorCode::kInvalidInput,
                   "unknown event type \"" + std::string(word) +
                       "\" (expected all, or names such as status_change, peer_removed)");
    }
    i = j;
  }
  if (set.empty()) return Error(ErrorCode::kInvalidInput, "empty event type list");
  return set;
}

EventSink& EventBus::add(std::string name, std::unique_ptr<EventSink> sink, EventTypeSet filter) {
  EventSink& ref = *sink;
  subscriptions_.push_back({std::move(name), filter, std::move(sink)});
  return ref;
}

void EventBus::publish(const Event& event) {
  ++published_;
  for (auto& s : subscriptions_) {
    if (s.filter.contains(event.type)) s.sink->publish(event);
  }
}

void EventBus::reopen() {
  for (auto& s : subscriptions_) s.sink->reopen();
}

void EventBus::flush() {
  for (auto& s : subscriptions_) s.sink->flush();
}

void FailureReporter::failed(std::string_view what) {
  if (streak_++ == 0) {
    std::string m(what);
    m += " (further failures are counted, not logged, until it recovers)";
    log(SinkLogLevel::kWarning, m);
  }
}

void FailureReporter::succeeded(std::string_view what) {
  if (streak_ == 0) return;
  std::string m(what);
  m += ": recovered after ";
  m += std::to_string(streak_);
  m += streak_ == 1 ? " failure" : " failures";
  streak_ = 0;
  log(SinkLogLevel::kInfo, m);
}

}  // namespace wgtrack
