#include "http/request_pipeline.h"

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/write.hpp>
#include <sstream>

#include "http/url.h"

namespace wgtrack::http {
namespace beast_http = boost::beast::http;
namespace {

Reply error_reply(int status, std::string body, bool close) {
  Reply r;
  r.response = HttpResponse::text(status, std::move(body));
  r.close = close;
  return r;
}

std::string_view view(boost::beast::string_view s) { return {s.data(), s.size()}; }

}  // namespace

Reply respond(const PipelineContext& ctx, const BeastRequest& request, MonoTime now) {
  std::size_t fields = static_cast<std::size_t>(std::distance(request.begin(), request.end()));
  if (fields > ctx.limits.max_header_count) {
    return error_reply(431, "too many header fields\n", true);
  }

  HttpRequest req;
  switch (request.method()) {
    case beast_http::verb::get:
      req.method = HttpMethod::kGet;
      break;
    case beast_http::verb::head:
      req.method = HttpMethod::kHead;
      break;
    default:
      req.method = HttpMethod::kOther;
      break;
  }
  req.method_name = view(request.method_string());
  req.target = view(request.target());
  req.headers.reserve(fields);
  for (const auto& f : request) req.headers.push_back({view(f.name_string()), view(f.value())});

  // Only origin-form (RFC 9112 section 3.2.1): absolute-form and "*" are for proxies/OPTIONS.
  if (req.target.empty() || req.target.front() != '/') {
    return error_reply(400, "bad request target\n", true);
  }
  std::size_t q = req.target.find('?');
  std::string_view raw_path = req.target.substr(0, q);
  auto path = percent_decode(raw_path, false);
  if (!path) return error_reply(400, "bad percent-encoding in path\n", true);
  req.path = std::move(*path);
  if (q != std::string_view::npos) {
    auto query = parse_query(req.target.substr(q + 1));
    if (!query) return error_reply(400, "bad percent-encoding in query\n", true);
    req.query = std::move(*query);
  }

  bool keep_alive = request.keep_alive();
  Reply reply;
  reply.head = req.method == HttpMethod::kHead;
  reply.close = !keep_alive;

  if (ctx.auth != nullptr && !ctx.auth->exempt(req.path)) {
    auto verdict = ctx.auth->check(req.header("Authorization"), now);
    if (verdict == BasicAuth::Verdict::kThrottled) {
      if (ctx.stats) ++ctx.stats->auth_throttled;
      reply.response = HttpResponse::text(429, "too many authentication attempts\n");
      reply.response.headers.emplace_back("Retry-After", "1");
      return reply;
    }
    if (verdict != BasicAuth::Verdict::kOk) {
      if (ctx.stats) ++ctx.stats->auth_failures;
      reply.response = HttpResponse::text(401, "unauthorized\n");
      reply.response.headers.emplace_back("WWW-Authenticate", "Basic realm=\"wgtrack\"");
      return reply;
    }
  }

  auto match = ctx.router ? ctx.router->match(raw_path)
                          : Result<Router::Match>(Error(ErrorCode::kNotFound, "no router"));
  if (!match) {
    if (match.error().code == ErrorCode::kNotFound) {
      reply.response = HttpResponse::text(404, "not found\n");
    } else {
      reply = error_reply(400, "bad percent-encoding in path\n", true);
    }
    return reply;
  }
  if (req.method == HttpMethod::kOther) {
    reply.response = HttpResponse::text(405, "method not allowed\n");
    reply.response.headers.emplace_back("Allow", "GET, HEAD");
    return reply;
  }
  req.params = std::move(match->params);
  try {
    reply.response = (*match->handler)(req);
  } catch (...) {
    // A bug in one route must not take the server (and the daemon's loop) down.
    if (ctx.stats) ++ctx.stats->handler_errors;
    reply.response = HttpResponse::text(500, "internal error\n");
  }
  return reply;
}

Reply reply_to_parse_error(boost::beast::error_code ec) {
  if (ec == beast_http::error::header_limit) {
    return error_reply(431, "request header too large\n", true);
  }
  if (ec == beast_http::error::body_limit)
    return error_reply(413, "request body too large\n", true);
  return error_reply(400, "bad request\n", true);
}

std::optional<Reply> process_request_bytes(const PipelineContext& ctx, std::string_view bytes,
                                           MonoTime now) {
  beast_http::request_parser<beast_http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(ctx.limits.max_header_bytes));
  parser.body_limit(ctx.limits.max_body_bytes);
  parser.eager(true);
  boost::beast::error_code ec;
  std::size_t used = 0;
  // put() consumes what it can per call (it may stop after the header): feed until done.
  while (!parser.is_done()) {
    std::size_t n = parser.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    used += n;
    // need_more: the bytes end inside the request; a socket reader would wait for more.
    if (ec == beast_http::error::need_more) return std::nullopt;
    if (ec) return reply_to_parse_error(ec);
    if (n == 0 && !parser.is_done()) return std::nullopt;
  }
  return respond(ctx, parser.get(), now);
}

BeastResponse to_beast_response(const Reply& reply, unsigned version) {
  const HttpResponse& r = reply.response;
  std::string_view body = r.body_view();
  BeastResponse out;
  out.version(version);
  out.result(static_cast<unsigned>(r.status));
  std::string_view reason = reason_phrase(r.status);
  if (!reason.empty()) out.reason(boost::beast::string_view(reason.data(), reason.size()));
  out.set(beast_http::field::content_type, r.content_type);
  for (const auto& [name, value] : r.headers) out.insert(name, value);
  // Content-Length is the body's also for HEAD (RFC 9110 section 9.3.2), where no body follows.
  out.content_length(body.size());
  if (!reply.head) out.body() = boost::beast::span<const char>(body.data(), body.size());
  out.keep_alive(!reply.close);
  return out;
}

std::string serialize_reply(const Reply& reply, unsigned version) {
  std::ostringstream os;
  os << to_beast_response(reply, version);
  return os.str();
}

}  // namespace wgtrack::http
