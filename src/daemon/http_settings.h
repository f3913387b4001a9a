// The [http] section: where the daemon serves /metrics, the JSON API and the dashboard.
//
//   [http]
//   listen          = 127.0.0.1:9586, [::1]:9586   (IP literals; port 0 = any; default as here,
//                                                   IPv4 only)
//   enabled         = yes                          (no: no HTTP server at all)
//   metrics_profile = native | mindflavor | mdlayher   (default native; the compatibility
//                     profiles reproduce those exporters name for name)
//   handshake_delay = no          (mindflavor: also wireguard_latest_handshake_delay_seconds)
//   dashboard       = yes         (the web page at /)
//   user            = prometheus  (basic auth: both user and password_hash, or neither)
//   password_hash   = $y$...      (crypt(3): mkpasswd -m yescrypt, htpasswd -nB; never plain)
//   tls_cert        = /etc/wgtrack/tls.crt, tls_key = /etc/wgtrack/tls.key  (PEM; both or neither)
//   max_connections = 64
//
// Without a [http] section the server runs with these defaults (a home user opens
// http://127.0.0.1:9586/ and sees the dashboard). Read at start: a reload that changes it says
// that a restart is needed.
#pragma once

#include <optional>
#include <vector>

#include "config/config.h"
#include "http/http_options.h"
#include "sinks/prometheus/prometheus_format.h"

namespace wgtrack {

struct HttpSettings {
  http::HttpServerOptions server;
  PrometheusProfile profile = PrometheusProfile::kNative;
  bool handshake_delay = false;
  bool dashboard = true;
};

// nullopt: disabled (enabled = no) or errors (appended to `diagnostics`, with file:line).
std::optional<HttpSettings> parse_http_settings(const config::Config& config,
                                                std::vector<config::Diagnostic>& diagnostics);

}  // namespace wgtrack
