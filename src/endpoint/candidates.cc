#include "endpoint/candidates.h"

#include <algorithm>

namespace wgtrack::endpoint {

std::vector<HostPort> candidate_hosts(const std::optional<HostPort>& wgquick,
                                      std::span<const HostPort> configured) {
  std::vector<HostPort> out;
  auto add = [&](const HostPort& h) {
    if (std::find(out.begin(), out.end(), h) == out.end()) out.push_back(h);
  };
  if (wgquick) add(*wgquick);
  for (const HostPort& h : configured) add(h);
  return out;
}

bool usable_address(const Endpoint& address) {
  const auto& a = address.address();
  if (address.family() == IpFamily::kIPv4) {
    return !(a[0] == 0 && a[1] == 0 && a[2] == 0 && a[3] == 0);
  }
  const bool first_ten_zero = std::all_of(a.begin(), a.begin() + 10, [](auto b) { return b == 0; });
  // RFC 4291 section 2.5.5.2: ::ffff:0:0/96 is an IPv4 address seen through an IPv6 socket.
  if (first_ten_zero && a[10] == 0xff && a[11] == 0xff) return false;
  return !std::all_of(a.begin(), a.end(), [](auto b) { return b == 0; });
}

HostAddresses host_addresses(const HostPort& host, const DnsAnswer* answer) {
  HostAddresses out{host, {}};
  auto add = [&](Endpoint ep) {
    ep.set_port(host.port());
    if (!usable_address(ep)) return;
    if (std::find(out.addresses.begin(), out.addresses.end(), ep) != out.addresses.end()) return;
    out.addresses.push_back(ep);
  };
  if (auto literal = host.literal()) {
    add(*literal);
  } else if (answer != nullptr) {
    for (const ResolvedAddress& r : answer->addresses) add(r.address);
  }
  return out;
}

std::vector<Endpoint> interleave(std::span<const Endpoint> addresses, Prefer prefer) {
  if (prefer == Prefer::kNone) return {addresses.begin(), addresses.end()};
  const IpFamily first = prefer == Prefer::kIPv6 ? IpFamily::kIPv6 : IpFamily::kIPv4;
  std::vector<Endpoint> a, b;
  for (const Endpoint& ep : addresses) (ep.family() == first ? a : b).push_back(ep);
  std::vector<Endpoint> out;
  out.reserve(addresses.size());
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    if (i < a.size()) out.push_back(a[i]);
    if (i < b.size()) out.push_back(b[i]);
  }
  return out;
}

std::vector<Candidate> order_candidates(std::span<const HostAddresses> hosts, Prefer prefer,
                                        const CandidateBackoff* backoff, MonoTime now) {
  std::vector<Candidate> out;
  for (std::size_t h = 0; h < hosts.size(); ++h) {
    for (const Endpoint& ep : interleave(hosts[h].addresses, prefer)) {
      if (!usable_address(ep) || contains(out, ep)) continue;
      out.push_back(Candidate{ep, h});
    }
  }
  if (backoff != nullptr) {
    // RFC 8305 section 4 sorts by past performance too; a recent failure is ours to remember.
    std::stable_partition(out.begin(), out.end(),
                          [&](const Candidate& c) { return !backoff->blocked(c.endpoint, now); });
  }
  return out;
}

bool contains(std::span<const Candidate> candidates, const Endpoint& address) {
  return std::any_of(candidates.begin(), candidates.end(),
                     [&](const Candidate& c) { return c.endpoint == address; });
}

}  // namespace wgtrack::endpoint
