// HttpServerStats: the server's self-metrics, for the daemon to export (e.g. as
// wgtrack_http_responses_total{class="4xx"}). Plain counters: the server is single-threaded.
#pragma once

#include <array>
#include <cstdint>

namespace wgtrack::http {

struct HttpServerStats {
  // Responses sent, by status class: [0] = 1xx ... [4] = 5xx.
  std::array<std::uint64_t, 5> responses_by_class{};
  std::uint64_t bytes_sent = 0;  // response bytes written (headers + bodies, before TLS)
  std::uint64_t connections_accepted = 0;
  std::uint64_t connections_rejected = 0;  // closed at once: max_connections reached
  std::uint64_t connections_active = 0;    // gauge
  std::uint64_t timeouts = 0;              // request read, write or TLS handshake deadline passed
  std::uint64_t idle_closes = 0;           // no request within idle_timeout (normal for keep-alive)
  std::uint64_t auth_failures = 0;         // 401 answers: missing, malformed or wrong credentials
  std::uint64_t auth_throttled = 0;        // 429 answers: crypt() verification budget spent
  std::uint64_t handler_errors = 0;        // a handler threw (answered 500)
  std::uint64_t tls_handshake_failures = 0;
  std::uint64_t accept_errors = 0;  // accept() failed (e.g. EMFILE); the listener retries

  void count_response(int status, std::uint64_t bytes) {
    int cls = status / 100 - 1;
    if (cls >= 0 && cls < 5) ++responses_by_class[static_cast<std::size_t>(cls)];
    bytes_sent += bytes;
  }
};

}  // namespace wgtrack::http
