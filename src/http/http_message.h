// HttpRequest / HttpResponse: what a route handler sees and returns. No Beast here, so handler
// code (the daemon's routes) compiles without it.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace wgtrack::http {

enum class HttpMethod { kGet, kHead, kOther };

struct HttpHeader {
  std::string_view name;
  std::string_view value;
};

// A parsed request. The string_views point into the connection's buffer: valid only during the
// handler call (copy what you keep). Strings are already percent-decoded.
struct HttpRequest {
  HttpMethod method = HttpMethod::kOther;
  std::string_view method_name;  // as sent, e.g. "GET"
  std::string_view target;       // raw request-target, e.g. "/api/v1/peers/ab%2Fc%3D?x=1"
  std::string path;              // decoded path, e.g. "/api/v1/peers/ab/c="
  // Decoded query parameters in order (application/x-www-form-urlencoded: '+' is a space, so a
  // base64 value must be sent with %2B). Repeated names are kept.
  std::vector<std::pair<std::string, std::string>> query;
  // Router parameters: {"key", "ab/c="} for the pattern "/api/v1/peers/{key}".
  std::vector<std::pair<std::string, std::string>> params;
  std::vector<HttpHeader> headers;  // all fields as sent (at most HttpLimits::max_header_count)

  // First header with this name (ASCII case-insensitive); empty if absent.
  std::string_view header(std::string_view name) const;
  // First query parameter / router parameter with this name; nullptr if absent.
  const std::string* query_param(std::string_view name) const;
  const std::string* param(std::string_view name) const;
};

// A response. Content-Length is always set by the server (also for HEAD, whose body is not sent);
// Connection is set by the server from the request's keep-alive. A cached body (the /metrics
// text of the last cycle) is shared, not copied, per request.
// Design note: a streaming body (server-sent events) would be a third alternative of `body`
// (a source the connection pulls chunks from); the connection's write path is the only reader.
struct HttpResponse {
  using Body = std::variant<std::string, std::shared_ptr<const std::string>>;
  // Hands over the finished response. Must be called on the server's loop, at most once.
  using Completion = std::function<void(HttpResponse)>;

  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  Body body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra fields, e.g. Cache-Control
  // A response that is not ready yet (work done off the loop, e.g. rendering and compressing
  // /metrics for 100,000 peers): when set, everything else here is ignored, the server calls
  // `deferred(done)` and sends what `done` receives. The connection waits (the loop does not);
  // without an answer within HttpLimits::request_timeout the client gets a 503.
  std::function<void(Completion done)> deferred;

  std::string_view body_view() const;

  static HttpResponse text(int status, std::string body);
  static HttpResponse json(int status, std::string body);
  static HttpResponse shared(std::shared_ptr<const std::string> body, std::string content_type);
  static HttpResponse later(std::function<void(Completion done)> start);
};

// Whether an Accept-Encoding field value (RFC 9110 section 12.5.3) accepts gzip: a "gzip" or
// "x-gzip" coding, or "*" when gzip is not named, with a q-value other than 0. Malformed
// elements are skipped; an empty or absent field accepts nothing but identity.
bool accepts_gzip(std::string_view accept_encoding);

// Status text for the small set we produce ("Not Found"); "" for others.
std::string_view reason_phrase(int status);

}  // namespace wgtrack::http
