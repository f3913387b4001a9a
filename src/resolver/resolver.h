// Resolver: turns a host name into its A and AAAA addresses with their TTLs (DnsAnswer), on the
// caller's single-threaded io_context. The seam between the endpoint logic (pure, fed answers)
// and the network: AresResolver is the real one, tests/support/fake_resolver.h the scripted one.
#pragma once

#include <functional>
#include <string>

#include "endpoint/endpoint_types.h"

namespace wgtrack {

class Resolver {
 public:
  using Done = std::function<void(endpoint::HostAnswer)>;

  virtual ~Resolver() = default;

  // Resolves `host` (A and AAAA together). `done` runs exactly once, later, on the loop: never
  // from inside resolve(), even for an IP literal or an immediate failure. An error is a value:
  // kPermanent (no such host, no address: endpoint::is_permanent_dns_error) or kTransient
  // (timeout, SERVFAIL, refused, the resolver itself could not start). Implementations may drop
  // callbacks of requests still in flight when they are destroyed (and say so).
  virtual void resolve(const std::string& host, Done done) = 0;
};

}  // namespace wgtrack
