// EventSink: where events go (journal, log file, exec hook, webhooks, history), and EventBus,
// which fans every event out to the sinks that want its type.
//
// Contract for every sink (docs/architecture.md rules 7 and 10):
//  - publish() never blocks the daemon's loop and never throws for I/O trouble: a sink that
//    cannot deliver now queues (bounded) or drops, and counts what it dropped;
//  - a swallowed error bumps SinkStats::errors and is reported through SinkLog once per streak
//    of failures (not once per event), so a full disk does not flood the daemon log;
//  - all text a sink writes that came from a peer or a config file is escaped (event_json,
//    sanitize_text in sink_text.h).
// Sinks are single-threaded: every call comes from the daemon's loop thread.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "events/event.h"

namespace wgtrack {

// Self-metrics of one sink. Counted, not exported yet (docs/architecture.md rule 10).
struct SinkStats {
  std::uint64_t events_written = 0;  // delivered (written, sent, or a child spawned)
  std::uint64_t events_dropped = 0;  // not delivered: queue full, no transport, write failed
  std::uint64_t errors = 0;          // failed writes / sends / spawns / non-zero exits
  bool degraded = false;             // cannot deliver at the moment (no transport, failing)
};

enum class SinkLogLevel : std::uint8_t { kInfo, kWarning };
// Where a sink reports its own trouble (one-time warnings, a hook's output). The daemon passes
// its logger; tests collect the lines. An empty function discards.
using SinkLog = std::function<void(SinkLogLevel level, std::string_view message)>;

class EventSink {
 public:
  virtual ~EventSink();

  // Delivers or queues one event; never blocks, never throws for I/O errors.
  virtual void publish(const Event& event) = 0;
  // SIGHUP: reopen files / reconnect transports (logrotate moved the file away).
  virtual void reopen() {}
  // Pushes out anything queued that can go now (called each cycle and at shutdown).
  virtual void flush() {}
  virtual SinkStats stats() const { return {}; }
};

// A set of event types (a sink's filter). Default-constructed: empty.
class EventTypeSet {
 public:
  constexpr EventTypeSet() = default;
  static constexpr EventTypeSet all() { return EventTypeSet(~std::uint32_t{0}); }
  static EventTypeSet of(std::initializer_list<EventType> types);
  // "all" / "*", or a list of event names separated by commas and/or spaces:
  // "status_change, peer_removed". Unknown names and an empty list are kInvalidInput.
  static Result<EventTypeSet> parse(std::string_view text);

  bool contains(EventType type) const { return (bits_ & bit(type)) != 0; }
  EventTypeSet& insert(EventType type) {
    bits_ |= bit(type);
    return *this;
  }
  bool empty() const { return bits_ == 0; }
  friend bool operator==(const EventTypeSet&, const EventTypeSet&) = default;

 private:
  constexpr explicit EventTypeSet(std::uint32_t bits) : bits_(bits) {}
  static constexpr std::uint32_t bit(EventType t) {
    return std::uint32_t{1} << static_cast<unsigned>(t);
  }
  std::uint32_t bits_ = 0;
};

// Synchronous fan-out: publish() hands the event to each subscribed sink in the order they
// were added, on the caller's thread. Sinks do their own queueing (see the contract above), so
// a slow sink cannot delay the others beyond its own non-blocking publish().
class EventBus {
 public:
  struct Subscription {
    std::string name;  // the [output:NAME], for logs and self-metrics
    EventTypeSet filter;
    std::unique_ptr<EventSink> sink;
  };

  // Takes ownership of a non-null sink; returns it for callers that keep a handle (stats).
  EventSink& add(std::string name, std::unique_ptr<EventSink> sink,
                 EventTypeSet filter = EventTypeSet::all());
  void publish(const Event& event);
  void reopen();
  void flush();
  // Removes every sink (their destructors stop children and close files).
  void clear() { subscriptions_.clear(); }

  const std::vector<Subscription>& subscriptions() const { return subscriptions_; }
  std::uint64_t published() const { return published_; }

 private:
  std::vector<Subscription> subscriptions_;
  std::uint64_t published_ = 0;
};

// Reports a failing operation once per streak: the first failure after a success (or after
// start) logs a warning, later ones only count; the first success after a streak logs
// "recovered". Sinks use it for "reported once, retried on the next event".
class FailureReporter {
 public:
  explicit FailureReporter(SinkLog log) : log_(std::move(log)) {}

  void failed(std::string_view what);
  void succeeded(std::string_view what);
  bool failing() const { return streak_ > 0; }
  std::uint64_t streak() const { return streak_; }
  void log(SinkLogLevel level, std::string_view message) const {
    if (log_) log_(level, message);
  }

 private:
  SinkLog log_;
  std::uint64_t streak_ = 0;
};

}  // namespace wgtrack
