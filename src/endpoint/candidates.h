// Candidates of one peer and their order (RFC 8305 section 4, "Sorting of Resolved Destination
// Addresses"). The hosts are the wg-quick `Endpoint` first, then the [peer:] `endpoints` list,
// in that order; each host resolves to addresses (an IP literal is its own single address).
// The ordered candidate list is: per host, its addresses with the address families interleaved
// starting with the preferred one (kNone: resolver order); hosts in configured order (earlier
// hosts first); an address listed by two hosts counts once, at its first place; candidates in
// back-off moved to the back (stable).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "core/clock.h"
#include "core/endpoint.h"
#include "core/host_port.h"
#include "endpoint/candidate_backoff.h"
#include "endpoint/endpoint_types.h"

namespace wgtrack::endpoint {

// The configured hosts of a peer: `wgquick` (its wg-quick Endpoint, if any) first, then
// `configured` in order; an exact duplicate (same host and port) is kept once.
std::vector<HostPort> candidate_hosts(const std::optional<HostPort>& wgquick,
                                      std::span<const HostPort> configured);

// False for addresses WireGuard must not be pointed at: IPv4-mapped IPv6 (::ffff:a.b.c.d, which
// a dual-stack resolver may synthesise; the blog manager dropped them too), and the unspecified
// addresses 0.0.0.0 and ::.
bool usable_address(const Endpoint& address);

// One host and the addresses it currently stands for, each with the host's port.
struct HostAddresses {
  HostPort host;
  std::vector<Endpoint> addresses;  // resolver order
};

// The addresses of `host` from an answer: unusable ones dropped, duplicates removed, the
// host's port set. An IP literal host yields itself and ignores `answer`.
HostAddresses host_addresses(const HostPort& host, const DnsAnswer* answer);

// RFC 8305 section 4 interleaving of one host's addresses (First Address Family Count 1):
// preferred family, other family, preferred, ... ; the rest of the longer family at the end.
std::vector<Endpoint> interleave(std::span<const Endpoint> addresses, Prefer prefer);

struct Candidate {
  Endpoint endpoint;
  std::size_t host_index = 0;  // into the hosts given to order_candidates
};

// The ordered candidate list (see the file comment). `backoff` may be null (no demotion).
std::vector<Candidate> order_candidates(std::span<const HostAddresses> hosts, Prefer prefer,
                                        const CandidateBackoff* backoff, MonoTime now);

// True if `address` is one of `candidates`.
bool contains(std::span<const Candidate> candidates, const Endpoint& address);

}  // namespace wgtrack::endpoint
