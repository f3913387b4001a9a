// Test helper (not part of the library): one simulated peer on a FakeClock, its tracker and the
// transitions it produced. Traffic is simulated at the byte level the way the kernel counts it.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <vector>

#include "support/fake_clock.h"
#include "tracker/peer_health.h"

namespace wgtrack::testing {

using namespace std::chrono_literals;

struct PeerScenario {
  FakeClock clock;
  HealthPolicy policy;
  std::optional<WallTime> handshake;
  std::uint64_t rx = 0;
  std::uint64_t tx = 0;
  std::chrono::seconds local_keepalive{0};
  std::optional<PeerHealthTracker> tracker;
  std::vector<Transition> transitions;
  std::vector<MonoTime> transition_times;
  HealthUpdate last;

  PeerObservation observation() const {
    return {clock.mono_now(), clock.wall_now(), handshake, rx, tx, local_keepalive};
  }
  PeerHealth start() {
    tracker.emplace(policy, observation());
    return tracker->state();
  }
  // A handshake completes now (as initiator: initiation out, response in).
  void do_handshake() {
    handshake = clock.wall_now();
    tx += 148;
    rx += 92;
  }
  void send_data(std::uint64_t bytes = 128) { tx += bytes; }
  void receive_data(std::uint64_t bytes = 128) { rx += bytes; }
  void receive_keepalive() { rx += 32; }

  // Reads the peer (one daemon cycle).
  const HealthUpdate& read(std::span<const ProbeSample> probes = {}) {
    last = tracker->observe(observation(), probes);
    if (last.transition) {
      transitions.push_back(*last.transition);
      transition_times.push_back(clock.mono_now());
    }
    return last;
  }
  PeerHealth state() const { return tracker->state(); }
  MonoTime now() const { return clock.mono_now(); }
};

}  // namespace wgtrack::testing
