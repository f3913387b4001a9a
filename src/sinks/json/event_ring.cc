#include "sinks/json/event_ring.h"

#include <algorithm>

#include "core/json.h"
#include "events/event_json.h"

namespace wgtrack {
namespace {

class EventRingFeed : public EventSink {
 public:
  explicit EventRingFeed(EventRing& ring) : ring_(ring) {}
  void publish(const Event& event) override { ring_.publish(event); }
  SinkStats stats() const override { return ring_.stats(); }

 private:
  EventRing& ring_;
};

}  // namespace

EventRing::EventRing(std::size_t capacity, std::uint64_t epoch)
    : capacity_(std::max<std::size_t>(capacity, 1)), epoch_(epoch) {}

std::unique_ptr<EventSink> make_event_ring_feed(EventRing& ring) {
  return std::make_unique<EventRingFeed>(ring);
}

void EventRing::publish(const Event& event) {
  Entry e{next_seq_++, event};
  if (ring_.size() < capacity_) {
    // Grows on demand (a quiet daemon never holds 1000 events' worth of memory).
    ring_.push_back(std::move(e));
  } else {
    ring_[head_] = std::move(e);
    head_ = (head_ + 1) % capacity_;
  }
}

SinkStats EventRing::stats() const {
  // Eviction is what a ring is for, not a failed delivery: nothing counts as dropped here.
  SinkStats s;
  s.events_written = next_seq_ - 1;
  return s;
}

const EventRing::Entry& EventRing::at(std::size_t age_index) const {
  return ring_[(head_ + age_index) % ring_.size()];
}

EventRing::Page EventRing::since(std::uint64_t since, std::size_t limit) const {
  Page page;
  page.epoch = epoch_;
  page.last_seq = last_seq();
  if (since > page.last_seq) {
    page.reset = true;
    since = 0;
  }
  page.next_since = since;
  if (ring_.empty()) return page;
  page.first_seq = at(0).seq;
  // Seqs in the ring are consecutive: first_seq .. last_seq.
  if (since + 1 < page.first_seq) page.dropped = page.first_seq - 1 - since;
  const std::uint64_t from = std::max(since + 1, page.first_seq);
  std::uint64_t count = page.last_seq + 1 - from;
  if (limit != 0 && count > limit) {
    count = limit;
    page.more = true;
  }
  page.events.reserve(count);
  const std::size_t start = static_cast<std::size_t>(from - page.first_seq);
  for (std::size_t k = 0; k < count; ++k) page.events.push_back(&at(start + k));
  if (!page.events.empty())
    page.next_since = page.events.back()->seq;
  else
    page.next_since = page.last_seq;
  return page;
}

void render_events_json(const EventRing::Page& page, std::string& out) {
  out += "{\"epoch\":";
  append_uint(out, page.epoch);
  out += ",\"first_seq\":";
  append_uint(out, page.first_seq);
  out += ",\"last_seq\":";
  append_uint(out, page.last_seq);
  out += ",\"next_since\":";
  append_uint(out, page.next_since);
  out += ",\"dropped\":";
  append_uint(out, page.dropped);
  out += page.reset ? ",\"reset\":true" : ",\"reset\":false";
  out += page.more ? ",\"more\":true" : ",\"more\":false";
  out += ",\"events\":[";
  std::string one;
  for (std::size_t k = 0; k < page.events.size(); ++k) {
    if (k) out += ',';
    // The event's own object with "seq" as its first field: append_event_json always opens
    // with '{' followed by a field, so its text after the brace continues our object.
    out += "{\"seq\":";
    append_uint(out, page.events[k]->seq);
    out += ',';
    one.clear();
    append_event_json(one, page.events[k]->event);
    out.append(one, 1);
  }
  out += "]}\n";
}

std::string render_events_json(const EventRing::Page& page) {
  std::string out;
  render_events_json(page, out);
  return out;
}

}  // namespace wgtrack
