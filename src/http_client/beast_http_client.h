// BeastHttpClient: HttpClient over Boost.Beast on the daemon's single-threaded io_context (C++20
// coroutines). One connection per request ("Connection: close"): webhooks and Influx batches are
// at most a few per cycle, and no idle connections means no pool to bound or to time out.
//
// Name resolution goes through the Resolver seam (c-ares: no hidden threads, unlike asio's
// resolver); a URL with an IP literal host needs no resolver, and without one (nullptr) a DNS
// host name is an error (kInvalidInput). Addresses are tried in the resolver's order.
//
// https:// uses OpenSSL through boost::asio::ssl. The SSL context (system CA store, ~1 MB of
// parsed certificates) is created on the first https request only, so an http-only
// configuration costs nothing. By default the peer is verified (chain against the system CAs or
// `ca_file`, and the certificate must name the URL's host); SNI is sent for DNS names.
//
// The response body is read up to `max_response_body` bytes; more is a kProtocol error.
// Destroying the client closes requests still in flight; their callbacks are then never run.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "http_client/http_client.h"

namespace boost::asio {
class io_context;
}

namespace wgtrack {

class Resolver;

class BeastHttpClient final : public HttpClient {
 public:
  // `resolver` may be null (IP literal hosts only); if given it must outlive this client.
  BeastHttpClient(boost::asio::io_context& io, Resolver* resolver, HttpClientOptions options = {});
  ~BeastHttpClient() override;
  BeastHttpClient(const BeastHttpClient&) = delete;
  BeastHttpClient& operator=(const BeastHttpClient&) = delete;

  void post(HttpClientRequest request, Done done) override;

  std::size_t in_flight() const;
  // Whether the SSL context exists (it is made on the first https request).
  bool tls_context_created() const;

  struct Shared;

 private:
  std::shared_ptr<Shared> shared_;
};

}  // namespace wgtrack
