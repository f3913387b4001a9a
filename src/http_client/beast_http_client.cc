#include "http_client/beast_http_client.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <set>

#include "http_client/http_url.h"
#include "resolver/resolver.h"

namespace wgtrack {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using SteadyTime = std::chrono::steady_clock::time_point;

struct BeastHttpClient::Shared {
  Shared(asio::io_context& i, Resolver* r, HttpClientOptions o)
      : io(i), resolver(r), options(std::move(o)) {}
  asio::io_context& io;
  Resolver* resolver;
  HttpClientOptions options;
  std::unique_ptr<asio::ssl::context> tls;  // lazily, see the header
  std::set<beast::tcp_stream*> streams;     // in flight, closed by the destructor
  bool closed = false;
};

namespace {

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

Error transport_error(const beast::error_code& ec, const HttpUrl& url, std::string_view step) {
  const std::string where = url.origin() + ": " + std::string(step) + ": ";
  if (ec == beast::error::timeout) return Error(ErrorCode::kTimeout, where + "timed out");
  if (ec.category() == asio::error::get_ssl_category()) {
    const int reason = ERR_GET_REASON(static_cast<unsigned long>(ec.value()));
    if (reason == SSL_R_CERTIFICATE_VERIFY_FAILED)
      return Error(ErrorCode::kPermissionDenied, where + "TLS certificate verify failed");
    return Error(ErrorCode::kProtocol, where + "TLS: " + ec.message());
  }
  if (ec == asio::ssl::error::stream_truncated)
    return Error(ErrorCode::kProtocol, where + "TLS: stream truncated");
  if (ec.category() == bhttp::make_error_code(bhttp::error::end_of_stream).category()) {
    if (ec == bhttp::error::end_of_stream)
      return Error(ErrorCode::kTransient, where + "connection closed before a response");
    return Error(ErrorCode::kProtocol, where + "bad HTTP response: " + ec.message());
  }
  return Error(ErrorCode::kTransient, where + ec.message());
}

std::chrono::milliseconds remaining(SteadyTime deadline) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                               std::chrono::steady_clock::now());
}

// Keeps a stream registered for the destructor while a request uses it.
class Registration {
 public:
  Registration(BeastHttpClient::Shared& s, beast::tcp_stream& stream) : s_(s), stream_(&stream) {
    s_.streams.insert(stream_);
  }
  ~Registration() {
    if (!s_.closed) s_.streams.erase(stream_);
  }
  Registration(const Registration&) = delete;
  Registration& operator=(const Registration&) = delete;

 private:
  BeastHttpClient::Shared& s_;
  beast::tcp_stream* stream_;
};

template <typename Stream>
asio::awaitable<Result<HttpClientResponse>> exchange(Stream& stream, const HttpUrl& url,
                                                     const bhttp::request<bhttp::string_body>& req,
                                                     std::size_t body_limit) {
  auto [wec, written] = co_await bhttp::async_write(stream, req, kAwait);
  (void)written;
  if (wec) co_return transport_error(wec, url, "sending");
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(body_limit);
  auto [rec, read] = co_await bhttp::async_read(stream, buffer, parser, kAwait);
  (void)read;
  if (rec == bhttp::error::body_limit)
    co_return Error(ErrorCode::kProtocol, url.origin() + ": response body larger than " +
                                              std::to_string(body_limit) + " bytes");
  if (rec) co_return transport_error(rec, url, "reading the response");
  HttpClientResponse response;
  response.status = parser.get().result_int();
  response.body = std::move(parser.get().body());
  co_return response;
}

Result<asio::ssl::context*> tls_context(BeastHttpClient::Shared& s) {
  if (s.tls) return s.tls.get();
  auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
  ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                   asio::ssl::context::no_tlsv1_1);
  beast::error_code ec;
  if (!s.options.tls_verify) {
    ctx->set_verify_mode(asio::ssl::verify_none);
  } else {
    if (s.options.ca_file.empty())
      ctx->set_default_verify_paths(ec);
    else
      ctx->load_verify_file(s.options.ca_file, ec);
    if (ec)
      return Error(
          ErrorCode::kInvalidInput,
          "cannot load CA certificates " +
              (s.options.ca_file.empty() ? std::string("(system store)") : s.options.ca_file) +
              ": " + ec.message());
    ctx->set_verify_mode(asio::ssl::verify_peer);
  }
  s.tls = std::move(ctx);
  return s.tls.get();
}

asio::awaitable<Result<HttpClientResponse>> run_request(std::shared_ptr<BeastHttpClient::Shared> s,
                                                        HttpUrl url,
                                                        std::vector<tcp::endpoint> targets,
                                                        bhttp::request<bhttp::string_body> req,
                                                        SteadyTime deadline) {
  auto left = remaining(deadline);
  if (left.count() <= 0) co_return Error(ErrorCode::kTimeout, url.origin() + ": timed out");
  beast::tcp_stream tcp_stream(s->io);
  Registration reg(*s, tcp_stream);
  tcp_stream.expires_after(left);
  auto [cec, connected] = co_await tcp_stream.async_connect(targets, kAwait);
  (void)connected;
  if (cec) co_return transport_error(cec, url, "connecting");
  if (!url.https) co_return co_await exchange(tcp_stream, url, req, s->options.max_response_body);

  auto ctx = tls_context(*s);
  if (!ctx) co_return ctx.error();
  beast::ssl_stream<beast::tcp_stream&> tls(tcp_stream, **ctx);
  boost::system::error_code addr_ec;
  (void)asio::ip::make_address(url.host, addr_ec);
  const bool is_dns_name = static_cast<bool>(addr_ec);
  if (is_dns_name && !SSL_set_tlsext_host_name(tls.native_handle(), url.host.c_str()))
    co_return Error(ErrorCode::kInvalidInput, url.origin() + ": TLS: cannot set SNI");
  if (s->options.tls_verify) tls.set_verify_callback(asio::ssl::host_name_verification(url.host));
  auto [hec] = co_await tls.async_handshake(asio::ssl::stream_base::client, kAwait);
  if (hec) {
    // Whatever ends a handshake early (an alert, a reset or EOF from a server that does not
    // speak TLS on this port) is a TLS failure to the caller, unless it was our deadline.
    Error e = transport_error(hec, url, "TLS handshake");
    if (e.code == ErrorCode::kTransient) e.code = ErrorCode::kProtocol;
    co_return e;
  }
  co_return co_await exchange(tls, url, req, s->options.max_response_body);
  // No TLS close_notify: the request said "Connection: close" and the server may not wait for
  // it; closing the socket is enough for a one-shot exchange.
}

asio::awaitable<void> run_and_report(std::shared_ptr<BeastHttpClient::Shared> s, HttpUrl url,
                                     std::vector<tcp::endpoint> targets,
                                     bhttp::request<bhttp::string_body> req, SteadyTime deadline,
                                     HttpClient::Done done) {
  Result<HttpClientResponse> r =
      co_await run_request(s, std::move(url), std::move(targets), std::move(req), deadline);
  if (!s->closed) done(std::move(r));
}

void start(std::shared_ptr<BeastHttpClient::Shared> s, HttpUrl url,
           std::vector<tcp::endpoint> targets, bhttp::request<bhttp::string_body> req,
           SteadyTime deadline, HttpClient::Done done) {
  auto& io = s->io;
  asio::co_spawn(io,
                 run_and_report(s, std::move(url), std::move(targets), std::move(req), deadline,
                                std::move(done)),
                 [](std::exception_ptr e) {
                   // Nothing in the request path throws on purpose (errors are values); an
                   // exception here is a bug (bad_alloc aside): let it reach the loop.
                   if (e) std::rethrow_exception(e);
                 });
}

bool has_line_break(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

}  // namespace

BeastHttpClient::BeastHttpClient(asio::io_context& io, Resolver* resolver,
                                 HttpClientOptions options)
    : shared_(std::make_shared<Shared>(io, resolver, std::move(options))) {}

BeastHttpClient::~BeastHttpClient() {
  shared_->closed = true;
  for (beast::tcp_stream* stream : shared_->streams) {
    beast::error_code ignored;
    stream->socket().close(ignored);
  }
  shared_->streams.clear();
}

std::size_t BeastHttpClient::in_flight() const { return shared_->streams.size(); }
bool BeastHttpClient::tls_context_created() const { return shared_->tls != nullptr; }

void BeastHttpClient::post(HttpClientRequest request, Done done) {
  auto fail = [this, &done](Error error) {
    asio::post(shared_->io, [s = shared_, done = std::move(done), error = std::move(error)] {
      if (!s->closed) done(error);
    });
  };
  auto url = parse_http_url(request.url);
  if (!url) return fail(url.error());
  for (const auto& h : request.headers) {
    if (h.name.empty() || has_line_break(h.name) || has_line_break(h.value) ||
        h.name.find(':') != std::string::npos)
      return fail(Error(ErrorCode::kInvalidInput, url->origin() + ": bad header name or value"));
  }
  if (has_line_break(request.content_type))
    return fail(Error(ErrorCode::kInvalidInput, url->origin() + ": bad content type"));

  bhttp::request<bhttp::string_body> req{bhttp::verb::post, url->target, 11};
  req.set(bhttp::field::host, url->host_header());
  req.set(bhttp::field::user_agent, shared_->options.user_agent);
  req.set(bhttp::field::connection, "close");
  if (!request.content_type.empty()) req.set(bhttp::field::content_type, request.content_type);
  for (const auto& h : request.headers) req.set(h.name, h.value);
  req.body() = std::move(request.body);
  req.prepare_payload();
  const SteadyTime deadline = std::chrono::steady_clock::now() + request.timeout;

  boost::system::error_code ec;
  const auto address = asio::ip::make_address(url->host, ec);
  if (!ec) {
    std::vector<tcp::endpoint> targets{tcp::endpoint(address, url->port)};
    // co_spawn never runs the coroutine inline: `done` is called later, as promised.
    start(shared_, std::move(*url), std::move(targets), std::move(req), deadline, std::move(done));
    return;
  }
  if (shared_->resolver == nullptr)
    return fail(Error(ErrorCode::kInvalidInput,
                      url->origin() + ": no resolver for host names; use an IP address"));
  const std::string host = url->host;
  shared_->resolver->resolve(
      host, [s = shared_, url = std::move(*url), req = std::move(req), deadline,
             done = std::move(done)](endpoint::HostAnswer answer) mutable {
        if (s->closed) return;
        if (!answer) {
          done(answer.error().context(url.origin() + ": resolving " + url.host));
          return;
        }
        std::vector<tcp::endpoint> targets;
        for (const auto& a : answer->addresses) {
          boost::system::error_code aec;
          auto ip = asio::ip::make_address(a.address.address_string(), aec);
          if (!aec) targets.emplace_back(ip, url.port);
        }
        if (targets.empty()) {
          done(Error(ErrorCode::kNotFound, url.origin() + ": " + url.host + " has no address"));
          return;
        }
        start(s, std::move(url), std::move(targets), std::move(req), deadline, std::move(done));
      });
}

}  // namespace wgtrack
