#include "resolver/ares_answer.h"

#include <ares.h>
#include <sys/socket.h>

#include <algorithm>
#include <utility>

namespace wgtrack {
namespace {

const char* family_record(IpFamily family) { return family == IpFamily::kIPv6 ? "AAAA" : "A"; }

std::string prefixed(std::string_view host, std::string_view what) {
  std::string s(host);
  s += ": ";
  s += what;
  return s;
}

}  // namespace

bool ares_status_is_permanent(int status) {
  return status == ARES_ENOTFOUND || status == ARES_ENODATA || status == ARES_EBADNAME;
}

Error ares_status_error(int status, std::string_view host, IpFamily family) {
  switch (status) {
    case ARES_ENOTFOUND:
      return Error(ErrorCode::kPermanent, prefixed(host, "no such host"));
    case ARES_ENODATA:
      return Error(ErrorCode::kPermanent,
                   prefixed(host, std::string("no ") + family_record(family) + " record"));
    case ARES_EBADNAME:
      return Error(ErrorCode::kPermanent, prefixed(host, "not a valid host name"));
    case ARES_ETIMEOUT:
      return Error(ErrorCode::kTransient,
                   prefixed(host, std::string("DNS timeout (") + family_record(family) + ")"));
    default:
      break;
  }
  // ECONNREFUSED, ESERVFAIL, EREFUSED, EFORMERR, EBADRESP, ENOTIMP, ENOMEM, ECANCELLED, ...:
  // the server or we had a bad moment; asking again later may work.
  return Error(ErrorCode::kTransient, prefixed(host, std::string(ares_strerror(status)) + " (" +
                                                         family_record(family) + ")"));
}

std::vector<endpoint::ResolvedAddress> addresses_from_addrinfo(const ares_addrinfo_node* nodes) {
  std::vector<endpoint::ResolvedAddress> out;
  for (const ares_addrinfo_node* n = nodes; n != nullptr; n = n->ai_next) {
    if (n->ai_addr == nullptr || (n->ai_family != AF_INET && n->ai_family != AF_INET6)) continue;
    auto ep = Endpoint::from_sockaddr(n->ai_addr, n->ai_addrlen);
    if (!ep) continue;
    ep->set_port(0);
    const std::chrono::seconds ttl(std::max(0, n->ai_ttl));
    auto same = std::find_if(out.begin(), out.end(),
                             [&](const endpoint::ResolvedAddress& r) { return r.address == *ep; });
    if (same != out.end()) {
      same->ttl = std::min(same->ttl, ttl);
      continue;
    }
    out.push_back({*ep, ttl});
  }
  return out;
}

CombinedAnswer combine_lookups(std::string_view host, const FamilyLookup& v6,
                               const FamilyLookup& v4) {
  endpoint::DnsAnswer answer;
  for (const FamilyLookup* f : {&v6, &v4}) {
    if (f->status == ARES_SUCCESS) {
      answer.addresses.insert(answer.addresses.end(), f->addresses.begin(), f->addresses.end());
    }
  }
  // A family that "succeeded" with nothing in it counts as having no records.
  auto status_of = [](const FamilyLookup& f) {
    return f.status == ARES_SUCCESS && f.addresses.empty() ? ARES_ENODATA : f.status;
  };
  const int s6 = status_of(v6);
  const int s4 = status_of(v4);
  const bool transient6 = s6 != ARES_SUCCESS && !ares_status_is_permanent(s6);
  const bool transient4 = s4 != ARES_SUCCESS && !ares_status_is_permanent(s4);

  if (!answer.addresses.empty()) {
    CombinedAnswer out{std::move(answer), std::nullopt};
    if (transient6) out.partial = ares_status_error(s6, host, IpFamily::kIPv6);
    if (transient4) out.partial = ares_status_error(s4, host, IpFamily::kIPv4);
    return out;
  }
  if (transient6 || transient4) {
    std::string why;
    for (auto [status, family] : {std::pair{s6, IpFamily::kIPv6}, std::pair{s4, IpFamily::kIPv4}}) {
      if (!why.empty()) why += "; ";
      // Without the host prefix: it comes once, in front.
      std::string m = ares_status_error(status, host, family).message;
      why += m.substr(std::min(m.size(), host.size() + 2));
    }
    return {Error(ErrorCode::kTransient, prefixed(host, why)), std::nullopt};
  }
  if (s6 == ARES_ENOTFOUND || s4 == ARES_ENOTFOUND) {
    return {Error(ErrorCode::kPermanent, prefixed(host, "no such host")), std::nullopt};
  }
  if (s6 == ARES_EBADNAME || s4 == ARES_EBADNAME) {
    return {Error(ErrorCode::kPermanent, prefixed(host, "not a valid host name")), std::nullopt};
  }
  return {Error(ErrorCode::kPermanent, prefixed(host, "no address")), std::nullopt};
}

}  // namespace wgtrack
