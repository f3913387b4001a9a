// Router: request path -> handler. Knows nothing about WireGuard; the daemon registers its routes.
//
// Patterns are matched segment by segment against the *raw* path, each segment decoded on its
// own, so a base64 key whose '/' arrives as %2F stays one segment:
//   "/metrics"                    exact
//   "/api/v1/peers/{key}"         {key} = one non-empty segment, decoded ("ab%2Fc%3D" -> "ab/c=")
//   "/files/{rest*}"              {rest*} (last only) = the rest of the path, '/' included, so a
//                                 client that did not encode '/' still reaches the handler
// A trailing slash is a different path ("/metrics/" is not "/metrics").
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "http/http_message.h"

namespace wgtrack::http {

// Runs on the server's loop; must not block. An exception becomes a 500 (and is counted).
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

class Router {
 public:
  struct Match {
    const HttpHandler* handler = nullptr;  // owned by the Router
    std::vector<std::pair<std::string, std::string>> params;
  };

  // kInvalidInput for a pattern not starting with '/', an empty or unterminated {}, a {x*} not
  // last, or a pattern already registered.
  Result<void> add(std::string_view pattern, HttpHandler handler);

  // The handler for a raw (still percent-encoded) path, without the query. kNotFound when no
  // route matches; kInvalidInput when a segment has a bad %-escape.
  Result<Match> match(std::string_view raw_path) const;

  bool empty() const { return routes_.empty(); }

 private:
  struct Segment {
    enum class Kind { kLiteral, kParam, kRest } kind;
    std::string text;  // literal text or parameter name
  };
  struct Route {
    std::string pattern;
    std::vector<Segment> segments;
    HttpHandler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace wgtrack::http
