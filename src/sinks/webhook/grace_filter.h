// GraceFilter: the webhook's grace period (pure; time is a parameter). A disconnect is only
// reported if the peer is still down `grace` after it went down; a quick flap sends nothing.
//
// Which events it applies to: status_change events whose status is "down" — the disconnect
// alarm that flaps hurt (wg-portal #641/#444). Such an event is held for `grace`:
//  - if the peer's next status_change arrives within the grace (it recovered), the held event
//    is dropped and so is the recovery when it returns the peer to the status the receiver
//    last saw (up -> down -> up: nothing at all is sent). A recovery to another status is sent
//    with old_status rewritten to that last-seen status (up -> down -> idle sends up -> idle).
//  - a peer_removed within the grace drops the held event; the removal is sent, its
//    old_status rewritten the same way.
//  - otherwise due() releases it when the grace has passed, with its original timestamp.
// Everything else passes at once: initial_status (a report of the state at start, not a
// transition), recoveries of a disconnect that was already sent, stale (wgtrack's own grace
// state), endpoint changes, handshakes, resolver events — so these may overtake a held
// disconnect of the same peer. grace = 0 turns the filter off.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "events/event.h"

namespace wgtrack {

class GraceFilter {
 public:
  explicit GraceFilter(std::chrono::milliseconds grace) : grace_(grace) {}

  // The events to send now for `event` (none, it, or it rewritten), in order.
  std::vector<Event> offer(const Event& event, MonoTime now);
  // Held events whose grace has ended at `now`, oldest first; they are no longer held.
  std::vector<Event> due(MonoTime now);
  // When the next held event is due; nullopt when none is held.
  std::optional<MonoTime> next_deadline() const;

  std::size_t held() const { return held_.size(); }
  // Disconnects that a recovery (or removal) within the grace cancelled.
  std::uint64_t suppressed() const { return suppressed_; }

 private:
  struct Held {
    Event event;
    MonoTime due;
    std::uint64_t sequence;
  };
  using Key = std::pair<std::string, PublicKey>;  // (interface, peer)

  std::chrono::milliseconds grace_;
  std::map<Key, Held> held_;
  std::uint64_t sequence_ = 0;
  std::uint64_t suppressed_ = 0;
};

}  // namespace wgtrack
