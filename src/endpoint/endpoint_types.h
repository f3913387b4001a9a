// Vocabulary of endpoint recovery: policy enums, the events the pure logic emits (values; the
// daemon turns them into Event objects) and the DNS answer model the resolver edge fills.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/endpoint.h"
#include "core/host_port.h"
#include "core/result.h"

namespace wgtrack::endpoint {

using Duration = std::chrono::nanoseconds;

// Which address family goes first (RFC 8305 section 4). kNone keeps each host's resolver order.
enum class Prefer : std::uint8_t { kIPv6, kIPv4, kNone };
const char* to_string(Prefer prefer);                       // "ipv6", "ipv4", "none"
std::optional<Prefer> parse_prefer(std::string_view text);  // the same words, case-sensitive

// How a candidate is judged before it is used.
//   kIcmp       ICMP echo to the candidate address; silent candidates are ruled out this round.
//   kHandshake  ICMP results only order the candidates; a silent one (ICMP filtered) is still
//               tried for real: switch to it and wait for a handshake or rx.
enum class ProbeMethod : std::uint8_t { kIcmp, kHandshake };
const char* to_string(ProbeMethod method);  // "icmp", "handshake"
std::optional<ProbeMethod> parse_probe_method(std::string_view text);

// Why the endpoint changed.
//   kReresolve  we switched and the old endpoint is no longer among the resolved candidates
//               (DNS moved the peer), or there was none.
//   kFailover   we switched away from a candidate that is still listed but failed.
//   kRoamed     the kernel's endpoint changed without our write (the peer roamed to us).
enum class ChangeReason : std::uint8_t { kReresolve, kFailover, kRoamed };
const char* to_string(ChangeReason reason);  // "reresolve", "failover", "roamed"

// One resolved address with the TTL of its record. The port is ignored (the host's is used).
struct ResolvedAddress {
  Endpoint address;
  std::chrono::seconds ttl{0};
};

// The answer for one host name: A and AAAA merged, in resolver order. An error is a value of
// HostAnswer with ErrorCode kPermanent or kNotFound (NXDOMAIN, NODATA: the name has no such
// records, asking again soon will not help) or anything else (timeout, SERVFAIL: transient).
struct DnsAnswer {
  std::vector<ResolvedAddress> addresses;
};
using HostAnswer = Result<DnsAnswer>;
bool is_permanent_dns_error(const Error& error);

// --- Events ---------------------------------------------------------------------------------

// The daemon should write `to` (set by us; `reason` is kReresolve or kFailover), or the kernel
// shows `to` although we wrote nothing (kRoamed). `from` is empty when the peer had none.
struct EndpointChanged {
  std::optional<Endpoint> from;
  Endpoint to;
  ChangeReason reason;
};

// Resolving `host` failed. Candidates of a transient failure are kept (stale beats none);
// a permanent failure drops the host's addresses.
struct ResolveFailed {
  std::string host;
  bool permanent = false;
  std::string message;
};

// A candidate did not answer: its ICMP probe failed (kIcmp), or we switched to it (or stayed on
// it) and saw no two-way evidence: no handshake and no in-tunnel probe reply within the confirm
// window, an in-tunnel probe through it lost, or the link still down (kNoHandshake; the
// candidate is then in back-off).
struct CandidateUnreachable {
  enum class Cause : std::uint8_t { kIcmp, kNoHandshake };
  Endpoint address;
  Cause cause = Cause::kIcmp;
};
const char* to_string(CandidateUnreachable::Cause cause);  // "icmp", "no_handshake"

// A switch (or a stay on the current endpoint) was confirmed by two-way evidence: a handshake
// completed after the decision, or an in-tunnel probe sent after it was answered. Received data
// alone never confirms: a peer's keepalives keep arriving when only our direction is broken.
struct SwitchConfirmed {
  enum class Via : std::uint8_t { kHandshake, kProbe };
  Endpoint endpoint;
  Via via = Via::kHandshake;
  Duration after{0};  // from the write to the observation that confirmed it
};
const char* to_string(SwitchConfirmed::Via via);  // "handshake", "probe"

// A switch in flight was abandoned: the peer disappeared (never re-created) or the write failed.
struct SwitchAborted {
  Endpoint target;
  std::string why;
};

using EndpointEvent = std::variant<EndpointChanged, ResolveFailed, CandidateUnreachable,
                                   SwitchConfirmed, SwitchAborted>;

}  // namespace wgtrack::endpoint
