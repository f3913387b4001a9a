#include "endpoint/endpoint_types.h"

namespace wgtrack::endpoint {

const char* to_string(Prefer prefer) {
  switch (prefer) {
    case Prefer::kIPv6:
      return "ipv6";
    case Prefer::kIPv4:
      return "ipv4";
    case Prefer::kNone:
      return "none";
  }
  return "?";
}

std::optional<Prefer> parse_prefer(std::string_view text) {
  if (text == "ipv6") return Prefer::kIPv6;
  if (text == "ipv4") return Prefer::kIPv4;
  if (text == "none") return Prefer::kNone;
  return std::nullopt;
}

const char* to_string(ProbeMethod method) {
  return method == ProbeMethod::kIcmp ? "icmp" : "handshake";
}

std::optional<ProbeMethod> parse_probe_method(std::string_view text) {
  if (text == "icmp") return ProbeMethod::kIcmp;
  if (text == "handshake") return ProbeMethod::kHandshake;
  return std::nullopt;
}

const char* to_string(ChangeReason reason) {
  switch (reason) {
    case ChangeReason::kReresolve:
      return "reresolve";
    case ChangeReason::kFailover:
      return "failover";
    case ChangeReason::kRoamed:
      return "roamed";
  }
  return "?";
}

// No such name and no data are the name's authoritative state (getaddrinfo(3): EAI_NONAME,
// EAI_NODATA, EAI_FAIL; c-ares: ARES_ENOTFOUND, ARES_ENODATA, ARES_EBADNAME): the resolver edge
// maps them to kPermanent or kNotFound (resolver/ares_answer.cc). Everything else (timeouts,
// SERVFAIL, refused) may pass.
bool is_permanent_dns_error(const Error& error) {
  return error.code == ErrorCode::kPermanent || error.code == ErrorCode::kNotFound;
}

const char* to_string(CandidateUnreachable::Cause cause) {
  return cause == CandidateUnreachable::Cause::kIcmp ? "icmp" : "no_handshake";
}

const char* to_string(SwitchConfirmed::Via via) {
  return via == SwitchConfirmed::Via::kHandshake ? "handshake" : "probe";
}

}  // namespace wgtrack::endpoint
