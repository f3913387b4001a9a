// The pure half of AresResolver: c-ares status codes to Error values, the addresses and TTLs of
// an ares_addrinfo list, and how the A and AAAA lookups of one host combine into one answer.
// No channel, no sockets: unit-tested without a network.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/endpoint.h"
#include "core/result.h"
#include "endpoint/endpoint_types.h"

struct ares_addrinfo_node;

namespace wgtrack {

// Maps one c-ares status (not ARES_SUCCESS) for `host`, family `family`, to an Error:
//   ARES_ENOTFOUND                       kPermanent "HOST: no such host"
//   ARES_ENODATA                         kPermanent "HOST: no A record" / "no AAAA record"
//   ARES_EBADNAME                        kPermanent (the name can never resolve)
//   anything else (ETIMEOUT, ECONNREFUSED, ESERVFAIL, EREFUSED, EFORMERR, ENOMEM, ...)
//                                        kTransient, with c-ares' own words
Error ares_status_error(int status, std::string_view host, IpFamily family);
bool ares_status_is_permanent(int status);

// The addresses of a getaddrinfo result list, in list order, port 0, each with its record's TTL
// (ai_ttl; negative read as 0; answers from /etc/hosts carry 0). Nodes of other families are
// skipped; an address listed twice (CNAME chains, search domains) is kept once, with the shorter
// TTL.
std::vector<endpoint::ResolvedAddress> addresses_from_addrinfo(const ares_addrinfo_node* nodes);

// The outcome of one family's lookup: the c-ares status and, on ARES_SUCCESS, its addresses.
struct FamilyLookup {
  int status = 0;  // ARES_SUCCESS
  std::vector<endpoint::ResolvedAddress> addresses;
};

// One host's answer from its two lookups. Addresses: AAAA first, then A (the RFC 6724 default;
// the endpoint logic reorders by its own `prefer`).
//   - any address came back: an answer. If the other family failed transiently (timeout,
//     SERVFAIL) the answer is partial and `partial` says what is missing; a family that simply
//     has no records (ENODATA, ENOTFOUND) is not a partial answer.
//   - no address, any family transient: kTransient naming both causes.
//   - no address, both permanent: kPermanent "HOST: no such host" if either said NXDOMAIN,
//     else "HOST: no address".
struct CombinedAnswer {
  endpoint::HostAnswer answer;
  std::optional<Error> partial;
};
CombinedAnswer combine_lookups(std::string_view host, const FamilyLookup& v6,
                               const FamilyLookup& v4);

}  // namespace wgtrack
