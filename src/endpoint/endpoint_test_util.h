// Test helpers for src/endpoint: terse constructors and a small simulated world (DNS, ICMP,
// WireGuard paths) that drives an EndpointManager on a fake clock. Tests only.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "endpoint/endpoint_manager.h"
#include "support/fake_clock.h"

namespace wgtrack::endpoint::test {

using namespace std::chrono_literals;

inline Endpoint ep(std::string_view text) {
  auto r = Endpoint::parse(text);
  EXPECT_TRUE(r.ok()) << text;
  return r.ok() ? *r : Endpoint{};
}
inline HostPort hp(std::string_view text) {
  auto r = HostPort::parse(text);
  EXPECT_TRUE(r.ok()) << text;
  return r.ok() ? *r : HostPort{};
}
// Addresses "2001:db8::1", "192.0.2.1", ... with one TTL.
inline DnsAnswer answer(std::initializer_list<std::string_view> addresses,
                        std::chrono::seconds ttl = 300s) {
  DnsAnswer a;
  for (auto text : addresses) {
    auto e = Endpoint::parse_address(text, 1);
    EXPECT_TRUE(e.ok()) << text;
    if (e.ok()) a.addresses.push_back({*e, ttl});
  }
  return a;
}
inline std::vector<std::string> strings(const std::vector<Endpoint>& eps) {
  std::vector<std::string> out;
  for (const auto& e : eps) out.push_back(e.to_string());
  return out;
}
inline std::vector<std::string> strings(const std::vector<Candidate>& cs) {
  std::vector<std::string> out;
  for (const auto& c : cs) out.push_back(c.endpoint.to_string());
  return out;
}
template <typename T>
std::vector<T> events_of(const std::vector<EndpointEvent>& events) {
  std::vector<T> out;
  for (const auto& e : events) {
    if (const T* t = std::get_if<T>(&e)) out.push_back(*t);
  }
  return out;
}

// A peer in a simulated network. Every cycle (1 s): if the kernel endpoint is on a working
// path the peer's keepalives arrive (rx grows), traffic we made completes a handshake (WireGuard
// retries its initiation until then) and in-tunnel probes are answered; on a dead path they are
// lost once their timeout passed. Health is up while rx flows and down after `down_after`
// without it. DNS and ICMP answer at once from the tables. Everything the manager asks is
// recorded.
class World {
 public:
  World(EndpointPolicy policy, std::vector<HostPort> hosts, std::string initial_endpoint)
      : manager(policy, std::move(hosts)) {
    link.endpoint = ep(initial_endpoint);
    link.health = PeerHealth::kUp;
  }

  std::map<std::string, HostAnswer> dns;  // host -> answer; absent: timeout
  void set_dns(const std::string& host, HostAnswer a) { dns.insert_or_assign(host, std::move(a)); }
  std::set<std::string> icmp_ok;  // "192.0.2.1" (address only)
  std::set<std::string> udp_ok;   // "192.0.2.1:51820" (WireGuard works there)
  std::chrono::seconds down_after{2};
  bool auto_health = true;

  ::wgtrack::testing::FakeClock clock;
  EndpointManager manager;
  LinkObservation link;
  std::mt19937_64 rng{20251122};
  std::vector<EndpointEvent> events;
  std::vector<Endpoint> writes;
  std::vector<MonoTime> resolve_times;
  std::vector<std::uint64_t> probe_rounds;
  int tunnel_probes = 0;  // ordered in-tunnel probes
  bool removed = false;

  MonoTime now() const { return clock.mono_now(); }
  double draw() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); }

  void apply(EndpointStep step) {
    events.insert(events.end(), step.events.begin(), step.events.end());
    if (step.write) {
      ASSERT_FALSE(removed) << "wrote to a removed peer";
      writes.push_back(*step.write);
      link.endpoint = *step.write;
    }
    if (step.tunnel_probe) {
      traffic_ = true;
      tunnel_probes_.push_back({now(), *step.tunnel_probe});
      ++tunnel_probes;
    }
    if (!step.resolve.empty()) resolve_times.push_back(now());
    for (const HostPort& h : step.resolve) {
      auto it = dns.find(h.host());
      HostAnswer a =
          it != dns.end() ? it->second : HostAnswer(Error(ErrorCode::kTimeout, "no server"));
      apply(manager.resolved(h, a, now(), draw()));
    }
    if (step.probe) {
      probe_rounds.push_back(step.probe->round);
      std::vector<CandidateProbe> results;
      for (const ProbeStart& p : step.probe->probes) {
        results.push_back({p.address, icmp_ok.count(p.address.address_string()) > 0});
      }
      apply(manager.probed(step.probe->round, results, now()));
    }
  }

  // One read of the peer (the daemon's cycle): the network moves, then the manager sees it.
  void cycle(std::chrono::nanoseconds dt = 1s) {
    clock.advance(dt);
    const bool works = link.endpoint && udp_ok.count(link.endpoint->to_string()) > 0;
    if (works) {
      link.rx_bytes += 32;
      if (traffic_ || !link.last_handshake) link.last_handshake = clock.wall_now();
      traffic_ = false;
      last_rx_ = now();
      if (auto_health) link.health = PeerHealth::kUp;
    } else if (auto_health && now() - last_rx_ >= down_after) {
      link.health = PeerHealth::kDown;
    }
    std::vector<TunnelProbe> in_flight;
    in_flight.swap(tunnel_probes_);
    for (const TunnelProbe& p : in_flight) {
      if (works) {
        apply(manager.tunnel_probed(p.sent, true, now()));
      } else if (now() - p.sent >= p.timeout) {
        apply(manager.tunnel_probed(p.sent, false, now()));
      } else {
        tunnel_probes_.push_back(p);
      }
    }
    if (link.last_handshake) {
      link.handshake_age =
          std::chrono::duration_cast<Duration>(clock.wall_now() - *link.last_handshake);
    }
    apply(manager.observe(link, now()));
    apply(manager.tick(now()));
  }
  void run(int cycles) {
    for (int i = 0; i < cycles; ++i) cycle();
  }

 private:
  struct TunnelProbe {
    MonoTime sent;
    Duration timeout;
  };
  std::vector<TunnelProbe> tunnel_probes_;
  bool traffic_ = false;
  MonoTime last_rx_ = clock.mono_now();
};

}  // namespace wgtrack::endpoint::test
