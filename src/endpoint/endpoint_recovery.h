// EndpointRecovery: endpoint recovery for every peer of every interface — one EndpointManager
// per managed peer, keyed by (interface, public key), and the actions of all of them gathered
// into one list for the daemon (pure, like the manager: ARCHITECTURE rule 1).
//
// A peer is managed when `SetupFor` says so (it has candidate hosts and recovery is enabled);
// the daemon asks once per peer and again after reload(), so a 10,000-peer hub does no config
// lookups per cycle. The daemon calls, per cycle, begin_cycle(), observe() for every peer it
// still knows, then end_cycle(): a managed peer that was not observed is gone, and its manager
// is told so (a switch in flight is aborted, nothing is written for it again: rule 6).
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/public_key.h"
#include "endpoint/endpoint_manager.h"

namespace wgtrack::endpoint {

struct PeerRef {
  std::string interface;
  PublicKey peer;
  friend auto operator<=>(const PeerRef&, const PeerRef&) = default;
  friend bool operator==(const PeerRef&, const PeerRef&) = default;
};

// What a managed peer is recovered with.
struct PeerSetup {
  std::vector<HostPort> hosts;  // candidate_hosts(): never empty
  EndpointPolicy policy;
};
using SetupFor = std::function<std::optional<PeerSetup>(const PeerRef&)>;

// Every manager's EndpointStep, tagged with its peer, for the daemon to carry out.
struct RecoveryActions {
  struct Resolve {
    PeerRef peer;
    HostPort host;
  };
  struct Probe {
    PeerRef peer;
    std::uint64_t round = 0;
    std::vector<ProbeStart> probes;
  };
  struct Write {
    PeerRef peer;
    Endpoint endpoint;
  };
  struct Tagged {
    PeerRef peer;
    EndpointEvent event;
  };
  std::vector<Resolve> resolves;
  std::vector<Probe> probes;
  std::vector<Write> writes;
  std::vector<PeerRef> make_traffic;
  std::vector<Tagged> events;

  bool empty() const {
    return resolves.empty() && probes.empty() && writes.empty() && make_traffic.empty() &&
           events.empty();
  }
};

class EndpointRecovery {
 public:
  explicit EndpointRecovery(SetupFor setup_for) : setup_for_(std::move(setup_for)) {}

  // SIGHUP: ask SetupFor again for every peer at its next observe(). A peer whose hosts did not
  // change keeps its manager (state, back-off, answers) with the new policy; new hosts start a
  // new manager; a peer no longer managed is dropped silently.
  void reload(SetupFor setup_for);

  void begin_cycle();
  void observe(const PeerRef& peer, const LinkObservation& obs, MonoTime now, RecoveryActions& out);
  void end_cycle(MonoTime now, RecoveryActions& out);

  // Answers for what `out` asked for earlier; unknown peers (removed meanwhile) are ignored.
  void resolved(const PeerRef& peer, const HostPort& host, const HostAnswer& answer, MonoTime now,
                double u, RecoveryActions& out);
  void probed(const PeerRef& peer, std::uint64_t round, const CandidateProbe& result, MonoTime now,
              RecoveryActions& out);
  void write_failed(const PeerRef& peer, const Error& error, MonoTime now, RecoveryActions& out);
  // Every manager whose deadline is at or before `now`.
  void tick(MonoTime now, RecoveryActions& out);
  std::optional<MonoTime> next_deadline() const;

  // nullptr when the peer is not managed.
  const EndpointManager* manager(const PeerRef& peer) const;
  // Calls fn(peer, manager) for every managed peer, in PeerRef order.
  template <typename Fn>
  void for_each(Fn&& fn) const {
    for (const auto& [peer, entry] : entries_) {
      if (entry.manager) fn(peer, *entry.manager);
    }
  }
  std::size_t managed() const;

 private:
  struct Entry {
    std::optional<PeerSetup> setup;  // nullopt: known, not managed
    std::unique_ptr<EndpointManager> manager;
    std::optional<MonoTime> deadline;
    bool seen = false;
    bool stale_setup = false;  // reload(): ask SetupFor again
  };
  void take(const PeerRef& peer, Entry& entry, EndpointStep step, RecoveryActions& out);
  void refresh(const PeerRef& peer, Entry& entry);

  SetupFor setup_for_;
  std::map<PeerRef, Entry> entries_;
};

}  // namespace wgtrack::endpoint
