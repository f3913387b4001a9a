#include "cli/endpoint_command.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "core/host_port.h"
#include "core/public_key.h"
#include "endpoint/candidates.h"

namespace wgtrack {
namespace {

constexpr int kAttempts = 3;  // wireguard_endpoint_manager.py's icmplib.ping(count=3)
constexpr std::chrono::milliseconds kEchoTimeout{1000};

// Python's repr of a list of strings, as wireguard_endpoint_manager.py printed them: ['a', 'b'].
std::string py_list(const std::vector<Endpoint>& addresses) {
  std::string s = "[";
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    if (i) s += ", ";
    s += "'" + addresses[i].address_string() + "'";
  }
  return s + "]";
}

// wireguard_endpoint_manager.py's order: the preferred family first, each family in resolver order.
std::vector<Endpoint> cron_script_order(std::vector<Endpoint> addresses, std::string_view prefer) {
  if (prefer == "none") return addresses;
  const IpFamily first = prefer == "ipv4" ? IpFamily::kIPv4 : IpFamily::kIPv6;
  std::stable_partition(addresses.begin(), addresses.end(),
                        [first](const Endpoint& e) { return e.family() == first; });
  return addresses;
}

// Runs `pump` until `done` or nothing is left to do.
bool wait_for(const std::function<bool()>& pump, const std::function<bool()>& done) {
  while (!done()) {
    if (!pump()) return done();
  }
  return true;
}

}  // namespace

int run_endpoint(const EndpointOptions& o, WireGuardBackend& backend, Resolver& resolver,
                 Prober& prober, const std::function<bool()>& pump, std::ostream& out,
                 std::ostream& err) {
  auto key = o.peer.size() == 64 ? PublicKey::from_hex(o.peer) : PublicKey::from_base64(o.peer);
  if (!key) {
    err << "wgtrack endpoint: --peer: " << key.error().message << "\n";
    return 1;
  }
  if (o.prefer != "ipv6" && o.prefer != "ipv4" && o.prefer != "none") {
    err << "wgtrack endpoint: --prefer must be ipv6, ipv4 or none\n";
    return 1;
  }
  auto host = HostPort::parse(o.host.find(':') != std::string::npos && o.host.front() != '['
                                  ? "[" + o.host + "]:" + std::to_string(o.port)
                                  : o.host + ":" + std::to_string(o.port));
  if (!host || o.port == 0) {
    err << "wgtrack endpoint: invalid --host/--port '" << o.host << "' " << o.port << "\n";
    return 1;
  }

  // Resolve (A and AAAA together; an IP literal is its own answer).
  std::optional<endpoint::HostAnswer> answer;
  resolver.resolve(host->host(), [&answer](endpoint::HostAnswer a) { answer = std::move(a); });
  wait_for(pump, [&] { return answer.has_value(); });
  std::vector<Endpoint> candidates;
  if (answer) {
    const endpoint::DnsAnswer* dns = answer->ok() ? &answer->value() : nullptr;
    candidates = cron_script_order(endpoint::host_addresses(*host, dns).addresses, o.prefer);
  }
  if (candidates.empty()) {
    out << "No addresses resolved for " << o.host << ".";
    if (answer && !answer->ok()) out << " (" << answer->error().message << ")";
    out << "\n";
    return kExitNoAddress;
  }
  out << "Candidate addresses: " << py_list(candidates) << "\n";

  // Probe every candidate at once; a lost echo is retried, up to kAttempts per candidate.
  struct State {
    int attempts = 0;
    std::optional<bool> reachable;
  };
  std::vector<State> state(candidates.size());
  std::function<void(std::size_t)> send = [&](std::size_t i) {
    ++state[i].attempts;
    prober.probe({"", candidates[i], kEchoTimeout}, [&, i](const ProbeResult& r) {
      if (r.ok) {
        state[i].reachable = true;
      } else if (state[i].attempts < kAttempts && (r.lost() || !r.error)) {
        send(i);
      } else {
        if (r.error && !r.lost())
          err << "Encountered error testing " << candidates[i].address_string()
              << " for reachability: " << r.error->message << "\n";
        state[i].reachable = false;
      }
    });
  };
  for (std::size_t i = 0; i < candidates.size(); ++i) send(i);
  wait_for(pump, [&] {
    return std::all_of(state.begin(), state.end(), [](const State& s) { return s.reachable; });
  });
  std::vector<Endpoint> reachable;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const bool ok = state[i].reachable.value_or(false);
    out << candidates[i].address_string() << (ok ? " is reachable" : " is not reachable") << "\n";
    if (ok) reachable.push_back(candidates[i]);
  }
  out << "All reachable addresses: " << py_list(reachable) << "\n";
  if (reachable.empty()) {
    out << "None of the tested endpoints (" << py_list(candidates) << ") were reachable.\n";
    return kExitNoneReachable;
  }
  const Endpoint chosen = reachable.front();
  out << "Chosen endpoint is " << chosen.to_string() << "\n";

  // The existing endpoint of *this* peer.
  auto device = backend.get_device(o.interface);
  if (!device) {
    err << "wgtrack endpoint: " << o.interface << ": " << device.error().message << "\n";
    return 1;
  }
  const auto peer = std::find_if(device->peers.begin(), device->peers.end(),
                                 [&](const Peer& p) { return p.public_key == *key; });
  if (peer == device->peers.end()) {
    err << "wgtrack endpoint: peer " << key->to_base64() << " is not on " << o.interface << "\n";
    return 1;
  }
  out << "Existing endpoint is " << (peer->endpoint ? peer->endpoint->to_string() : "(none)")
      << "\n";
  if (peer->endpoint && *peer->endpoint == chosen) {
    out << "Nothing to do: endpoint is already " << chosen.to_string() << "\n";
    return 0;
  }
  const std::string what =
      o.interface + " peer " + key->to_base64() + " endpoint " + chosen.to_string();
  if (o.dry_run) {
    out << "DRY RUN: Would have updated " << what << "\n";
    return 0;
  }
  out << "Updating " << what << "\n";
  auto written = backend.update_peer_endpoint(o.interface, {*key, chosen});
  if (!written) {
    out << "Error updating " << what << ": " << written.error().message << "\n";
    return 1;
  }
  out << "Done updating " << what << "\n";
  return 0;
}

}  // namespace wgtrack
