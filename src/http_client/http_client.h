// HttpClient: the one seam through which wgtrack talks to HTTP servers (webhooks, InfluxDB).
// BeastHttpClient is the real one; tests/support/fake_http_client.h records requests and lets
// a test answer them.
//
// Contract:
//  - post() never blocks and never calls `done` from inside post(): `done` runs exactly once,
//    later, on the caller's single-threaded io_context (or when the fake is told to answer).
//  - Any HTTP status is a response (a 500 is not an Error: the caller decides what it means).
//    Errors are transport failures, as values:
//      kInvalidInput  the URL or a header is unusable (will never work: do not retry)
//      kTransient     connection refused/reset, name lookup failed transiently, network down
//      kNotFound      the host name does not exist (NXDOMAIN)
//      kTimeout       no complete response within HttpClientRequest::timeout (connect + TLS + send
//      +
//                     receive together)
//      kPermissionDenied  TLS: the server's certificate failed verification
//      kProtocol      TLS handshake failure, or a malformed / oversized HTTP response
//  - Error messages name the URL's origin (scheme://host:port) but never headers or the body:
//    those may carry secrets (Authorization, signed payloads).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace wgtrack {

struct HttpClientHeader {
  std::string name;
  std::string value;
  friend bool operator==(const HttpClientHeader&, const HttpClientHeader&) = default;
};

struct HttpClientRequest {
  std::string url;  // http:// or https:// (http_url.h)
  std::string content_type;
  std::vector<HttpClientHeader> headers;  // extra headers; Host, Content-Length, User-Agent are set
  std::string body;
  std::chrono::milliseconds timeout = std::chrono::seconds(10);
};

// How a client connects (one client per output: each may trust other CAs).
struct HttpClientOptions {
  bool tls_verify = true;  // false: accept any certificate (self-signed test servers)
  std::string ca_file;     // PEM bundle to verify against instead of the system CAs
  std::size_t max_response_body = 64 * 1024;
  std::string user_agent = "wgtrack";
};

struct HttpClientResponse {
  unsigned status = 0;
  std::string body;  // at most the client's body limit
};

// Retry-worthy responses: 408, 429 and every 5xx (not 501).
bool is_retryable_status(unsigned status);
bool is_success_status(unsigned status);  // 2xx
// The usual "retry?" rule for transport errors: every code but kInvalidInput.
bool is_retryable_error(const Error& error);

class HttpClient {
 public:
  using Done = std::function<void(Result<HttpClientResponse>)>;

  virtual ~HttpClient() = default;
  // Sends `request` as a POST. See the contract above.
  virtual void post(HttpClientRequest request, Done done) = 0;
};

}  // namespace wgtrack
