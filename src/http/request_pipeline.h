// The pure half of a connection: a parsed request (or a parse error) -> the reply, with the
// limits, basic auth and routing applied. No sockets, so the fuzzer and the unit tests drive the
// exact code path the server runs (http_session only moves bytes and keeps time).
#pragma once

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/span_body.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "http/basic_auth.h"
#include "http/http_message.h"
#include "http/http_options.h"
#include "http/http_server_stats.h"
#include "http/router.h"

namespace wgtrack::http {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using BeastResponse = boost::beast::http::response<boost::beast::http::span_body<const char>>;

// Everything a reply depends on besides the request; pointers are not owned.
struct PipelineContext {
  const Router* router = nullptr;
  BasicAuth* auth = nullptr;  // nullptr: no authentication
  HttpLimits limits;
  HttpServerStats* stats = nullptr;  // auth_failures, handler_errors are counted here
};

struct Reply {
  HttpResponse response;
  bool head = false;   // HEAD: Content-Length of the body, body not sent
  bool close = false;  // close the connection after sending
};

// Answers one complete request: 400 for a target that is not origin-form or has a bad escape
// (close), 431 for too many header fields (close), 401 without valid credentials unless the
// path is exempt (429 + Retry-After when BasicAuth throttles), 404 without a route, 405 + Allow
// for a method other than GET/HEAD, else the handler's response (500 if it throws). close also
// follows the request's keep-alive.
Reply respond(const PipelineContext& ctx, const BeastRequest& request, MonoTime now);

// The reply for a request the parser rejected: header_limit -> 431, body_limit -> 413, anything
// else -> 400; always close.
Reply reply_to_parse_error(boost::beast::error_code ec);

// Parses `bytes` as one request (with ctx.limits) and answers it. nullopt when the bytes end
// before the request does (a socket would wait for more).
std::optional<Reply> process_request_bytes(const PipelineContext& ctx, std::string_view bytes,
                                           MonoTime now);

// The Beast message for a reply. It points into reply.response's body: keep `reply` alive and
// unmoved while the message is written.
BeastResponse to_beast_response(const Reply& reply, unsigned version);

// The reply as HTTP/1.x bytes (tests, fuzzing).
std::string serialize_reply(const Reply& reply, unsigned version);

}  // namespace wgtrack::http
