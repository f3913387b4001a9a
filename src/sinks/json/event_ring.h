// EventRing: the recent events behind /api/v1/events?since=N — an EventSink (add it to the
// daemon's EventBus) that keeps the last `capacity` events in memory, each with a sequence
// number. Pure: no I/O, no clock; publish() is O(1) and never blocks (docs/architecture.md rule 7).
//
// Sequence numbers start at 1 and grow by one per published event, for the life of the ring.
// A client polls with the last seq it saw; when the ring has moved past it the answer says how
// many events it missed (`dropped`), and when `since` is ahead of the ring (the daemon
// restarted, numbering began again) it says `reset` and answers from the oldest event kept.
// `epoch` (given by the daemon, e.g. its start time in unix milliseconds) tells a restart
// apart even when the new numbering has already passed the client's `since`.
//
// Lifetime: the daemon rebuilds its EventBus on SIGHUP, which destroys the sinks it owns. To
// keep the ring (and its numbering) across reloads, the daemon owns the EventRing and adds
// make_event_ring_feed(ring) to each new bus instead of the ring itself.
//
// JSON (render_events_json), with a trailing newline:
//   {"epoch":N,"first_seq":N,"last_seq":N,"next_since":N,"dropped":N,"reset":B,"more":B,
//    "events":[{"seq":N,<the fields of event_json.h>}...]}
// first_seq/last_seq: the oldest and newest seq the ring holds (0 and 0 when empty — then
// last_seq is still the newest seq ever assigned); next_since: pass it as `since` in the next
// poll; more: `limit` cut the answer, poll again at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "events/event.h"
#include "events/event_sink.h"

namespace wgtrack {

class EventRing : public EventSink {
 public:
  static constexpr std::size_t kDefaultCapacity = 1000;

  struct Entry {
    std::uint64_t seq = 0;
    Event event;
  };

  // The answer to since(); `events` point into the ring: valid until the next publish().
  struct Page {
    std::vector<const Entry*> events;  // oldest first
    std::uint64_t epoch = 0;           // the ring's epoch (constructor)
    std::uint64_t first_seq = 0;       // oldest seq held (0: empty ring)
    std::uint64_t last_seq = 0;        // newest seq assigned (0: nothing published yet)
    std::uint64_t next_since = 0;      // the `since` for the next poll
    std::uint64_t dropped = 0;         // events after `since` already evicted: missed
    bool reset = false;                // `since` was ahead of last_seq: read from the start
    bool more = false;                 // more events after these: limit reached
  };

  // `capacity` 0 is taken as 1 (a ring that keeps nothing could not answer anything).
  explicit EventRing(std::size_t capacity = kDefaultCapacity, std::uint64_t epoch = 0);

  void publish(const Event& event) override;
  SinkStats stats() const override;

  // Events with seq > since, oldest first, at most `limit` (0: no limit).
  Page since(std::uint64_t since, std::size_t limit = 0) const;

  std::size_t capacity() const { return capacity_; }
  std::size_t size() const { return ring_.size(); }
  std::uint64_t last_seq() const { return next_seq_ - 1; }
  std::uint64_t epoch() const { return epoch_; }

 private:
  const Entry& at(std::size_t age_index) const;  // 0 = oldest held

  std::size_t capacity_;
  std::uint64_t epoch_;
  std::vector<Entry> ring_;  // grows to capacity_, then overwritten from head_
  std::size_t head_ = 0;     // index of the oldest entry once full
  std::uint64_t next_seq_ = 1;
};

// An EventSink that publishes into `ring`, which must outlive it (see Lifetime above).
std::unique_ptr<EventSink> make_event_ring_feed(EventRing& ring);

// Appends the JSON document above for `page`.
void render_events_json(const EventRing::Page& page, std::string& out);
std::string render_events_json(const EventRing::Page& page);

}  // namespace wgtrack
