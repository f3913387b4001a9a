#include "endpoint/endpoint_recovery.h"

#include <algorithm>

namespace wgtrack::endpoint {

void EndpointRecovery::reload(SetupFor setup_for) {
  setup_for_ = std::move(setup_for);
  for (auto& [peer, entry] : entries_) entry.stale_setup = true;
}

void EndpointRecovery::refresh(const PeerRef& peer, Entry& entry) {
  entry.stale_setup = false;
  std::optional<PeerSetup> next = setup_for_(peer);
  if (!next) {
    entry.setup.reset();
    entry.manager.reset();
    entry.deadline.reset();
    return;
  }
  if (entry.manager && entry.setup && entry.setup->hosts == next->hosts) {
    entry.manager->set_policy(next->policy);
  } else {
    entry.manager = std::make_unique<EndpointManager>(next->policy, next->hosts);
    entry.deadline.reset();
  }
  entry.setup = std::move(next);
}

void EndpointRecovery::begin_cycle() {
  for (auto& [peer, entry] : entries_) entry.seen = false;
}

void EndpointRecovery::observe(const PeerRef& peer, const LinkObservation& obs, MonoTime now,
                               RecoveryActions& out) {
  auto [it, inserted] = entries_.try_emplace(peer);
  Entry& entry = it->second;
  entry.seen = true;
  if (inserted || entry.stale_setup) refresh(peer, entry);
  if (!entry.manager) return;
  take(peer, entry, entry.manager->observe(obs, now), out);
}

void EndpointRecovery::end_cycle(MonoTime now, RecoveryActions& out) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second.seen) {
      ++it;
      continue;
    }
    if (it->second.manager) take(it->first, it->second, it->second.manager->remove(now), out);
    it = entries_.erase(it);
  }
}

void EndpointRecovery::resolved(const PeerRef& peer, const HostPort& host, const HostAnswer& answer,
                                MonoTime now, double u, RecoveryActions& out) {
  auto it = entries_.find(peer);
  if (it == entries_.end() || !it->second.manager) return;
  take(peer, it->second, it->second.manager->resolved(host, answer, now, u), out);
}

void EndpointRecovery::probed(const PeerRef& peer, std::uint64_t round,
                              const CandidateProbe& result, MonoTime now, RecoveryActions& out) {
  auto it = entries_.find(peer);
  if (it == entries_.end() || !it->second.manager) return;
  take(peer, it->second, it->second.manager->probed(round, {&result, 1}, now), out);
}

void EndpointRecovery::write_failed(const PeerRef& peer, const Error& error, MonoTime now,
                                    RecoveryActions& out) {
  auto it = entries_.find(peer);
  if (it == entries_.end() || !it->second.manager) return;
  take(peer, it->second, it->second.manager->write_failed(error, now), out);
}

void EndpointRecovery::tick(MonoTime now, RecoveryActions& out) {
  for (auto& [peer, entry] : entries_) {
    if (entry.manager && entry.deadline && *entry.deadline <= now) {
      take(peer, entry, entry.manager->tick(now), out);
    }
  }
}

std::optional<MonoTime> EndpointRecovery::next_deadline() const {
  std::optional<MonoTime> next;
  for (const auto& [peer, entry] : entries_) {
    if (entry.deadline && (!next || *entry.deadline < *next)) next = entry.deadline;
  }
  return next;
}

const EndpointManager* EndpointRecovery::manager(const PeerRef& peer) const {
  auto it = entries_.find(peer);
  return it == entries_.end() ? nullptr : it->second.manager.get();
}

std::size_t EndpointRecovery::managed() const {
  return static_cast<std::size_t>(std::count_if(
      entries_.begin(), entries_.end(), [](const auto& e) { return e.second.manager != nullptr; }));
}

void EndpointRecovery::take(const PeerRef& peer, Entry& entry, EndpointStep step,
                            RecoveryActions& out) {
  entry.deadline = step.next_deadline;
  for (HostPort& h : step.resolve) out.resolves.push_back({peer, std::move(h)});
  if (step.probe) out.probes.push_back({peer, step.probe->round, std::move(step.probe->probes)});
  if (step.write) out.writes.push_back({peer, *step.write});
  if (step.make_traffic) out.make_traffic.push_back(peer);
  for (EndpointEvent& e : step.events) out.events.push_back({peer, std::move(e)});
}

}  // namespace wgtrack::endpoint
