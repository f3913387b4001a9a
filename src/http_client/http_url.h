// HttpUrl: the parts of an http:// or https:// URL that a client needs, and the text encodings
// of request bodies and queries. Pure (no sockets, no name resolution), fuzz- and test-friendly.
//
// Accepted: scheme "http" or "https" (case-insensitive), a host that is a DNS name, a dotted
// IPv4 address or a bracketed IPv6 address (no zone), an optional port (1-65535; default 80 /
// 443), and an optional path + query (default "/"). Rejected with kInvalidInput: user info
// ("user:pass@": credentials go in their own config keys, never in a URL that may be logged), a
// fragment, whitespace or control characters anywhere, an empty host, a bad port.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace wgtrack {

struct HttpUrl {
  bool https = false;
  std::string host;  // without brackets for IPv6; lowercase
  std::uint16_t port = 0;
  std::string target;  // path + query, starts with '/'

  // "host" or "host:port" for the Host header (the port only when not the default),
  // brackets for IPv6.
  std::string host_header() const;
  // "http://host:port/target": the URL again, normalized (for logs: it holds no secrets
  // unless the operator put one into the query).
  std::string to_string() const;
  // scheme://host[:port] without the target: what logs show.
  std::string origin() const;

  friend bool operator==(const HttpUrl&, const HttpUrl&) = default;
};

Result<HttpUrl> parse_http_url(std::string_view text);

// RFC 3986 percent-encoding of everything but the unreserved characters (A-Z a-z 0-9 - . _ ~).
std::string percent_encode(std::string_view text);
// application/x-www-form-urlencoded (WHATWG URL "urlencoded serializer", what Go's
// url.Values.Encode writes): unreserved bytes stay, space becomes '+', the rest %XX (uppercase).
std::string form_encode(std::string_view text);
// Standard base64 with padding (RFC 4648 §4), e.g. for "Authorization: Basic".
std::string base64_encode(std::string_view bytes);

}  // namespace wgtrack
