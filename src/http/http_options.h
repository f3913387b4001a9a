// HttpServerOptions: where the daemon's HTTP server listens and the bounds that keep a slow or
// hostile client from costing more than one small coroutine. Every duration is injectable so
// tests use milliseconds; the defaults are for production.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace wgtrack::http {

struct HttpLimits {
  // Request line + header fields, bytes. Beyond: 431 and close.
  std::size_t max_header_bytes = 8 * 1024;
  // Header fields per request. Beyond: 431 and close.
  std::size_t max_header_count = 64;
  // Request body, bytes (we only serve GET/HEAD). Beyond: 413 and close.
  std::size_t max_body_bytes = 16 * 1024;
  // Open connections (TLS handshakes included). A new connection beyond is closed at once,
  // without reading it, and counted in HttpServerStats::connections_rejected.
  std::size_t max_connections = 64;
  // Silence allowed before a request's first byte (the first request and between keep-alive
  // requests). Then the connection is closed quietly (HttpServerStats::idle_closes).
  std::chrono::milliseconds idle_timeout{30'000};
  // From a request's first byte to its last (and for the TLS handshake): a slowloris client is
  // dropped after this, without a response (HttpServerStats::timeouts). Also how long a
  // deferred response (HttpResponse::deferred) may take before the client gets a 503.
  std::chrono::milliseconds request_timeout{10'000};
  // Writing one response. A client that does not read is dropped (HttpServerStats::timeouts).
  std::chrono::milliseconds write_timeout{10'000};
};

// HTTP basic authentication (RFC 7617) against one user with a crypt(3) hash.
struct BasicAuthOptions {
  std::string user;
  // crypt(3) hash as written by mkpasswd/htpasswd -B: "$y$..." (yescrypt), "$2b$..." (bcrypt),
  // "$6$..."/"$5$..." (sha-crypt); anything libxcrypt's crypt_rn() accepts. Never a plain password.
  std::string password_hash;
  // Exact decoded paths served without credentials. Default: the liveness probe, so a
  // systemd/k8s health check needs no secret (it reveals nothing but "the daemon answers").
  std::vector<std::string> exempt_paths{"/healthz"};
  // A successful verification is remembered (as a keyed hash of the credentials, never the
  // password) for this long, so a scrape every 15 s costs one crypt() per ttl, not one per scrape.
  std::chrono::seconds cache_ttl{300};
  std::size_t cache_entries = 16;
  // crypt() runs on the daemon's loop (yescrypt at its default cost: ~35 ms here), so cache
  // misses are rate-limited: a token bucket of this many verifications per second (burst: twice
  // that). Beyond, the request gets 429 + Retry-After without a crypt(), so a password-guessing
  // client costs the loop at most rate x hash cost. 0: unlimited.
  unsigned max_verifications_per_second = 4;
};

// TLS with a PEM certificate (chain) and its PEM private key. OpenSSL is touched only when this
// is set (the daemon's memory budget).
struct TlsOptions {
  std::string cert_file;
  std::string key_file;
};

struct HttpServerOptions {
  // IP literals with ports: "127.0.0.1:9586", "[::1]:9586", "[fe80::1%eth0]:9586", "0.0.0.0:0".
  // Port 0 binds an ephemeral port (HttpServer::local_endpoints() tells which). No host names.
  // An IPv6 listener is v6-only, so "[::]:P" and "0.0.0.0:P" may both be given.
  std::vector<std::string> listen{"127.0.0.1:9586"};
  HttpLimits limits;
  std::optional<BasicAuthOptions> auth;
  std::optional<TlsOptions> tls;
};

}  // namespace wgtrack::http
