#include "daemon/http_settings.h"

#include "config/section_reader.h"
#include "config/text.h"

namespace wgtrack {

std::optional<HttpSettings> parse_http_settings(const config::Config& config,
                                                std::vector<config::Diagnostic>& diagnostics) {
  HttpSettings out;
  if (!config.http) return out;
  config::SectionReader r(*config.http, diagnostics);
  bool enabled = true;
  r.boolean("enabled", enabled);
  if (const auto* e = r.get("listen")) {
    out.server.listen.clear();
    std::string_view rest = e->value;
    while (!rest.empty()) {
      const auto sep = rest.find_first_of(", \t");
      const std::string_view item = rest.substr(0, sep);
      rest.remove_prefix(sep == std::string_view::npos ? rest.size() : sep + 1);
      if (item.empty()) continue;
      auto ep = Endpoint::parse(item, Endpoint::PortZero::kAllowed);
      if (!ep) {
        r.bad_value(e, "IP:port listen addresses, e.g. 127.0.0.1:9586, [::1]:9586 (" +
                           ep.error().message + ")");
        break;
      }
      out.server.listen.emplace_back(item);
    }
    if (out.server.listen.empty() && !r.failed()) r.bad_value(e, "at least one IP:port");
  }
  if (const auto* e = r.get("metrics_profile")) {
    auto p = parse_prometheus_profile(config::lower(e->value));
    if (!p)
      r.bad_value(e, "native, mindflavor or mdlayher");
    else
      out.profile = *p;
  }
  r.boolean("handshake_delay", out.handshake_delay);
  r.boolean("dashboard", out.dashboard);
  r.count("max_connections", out.server.limits.max_connections, 1, 100'000);
  const auto* user = r.get("user");
  const auto* hash = r.get("password_hash");
  if (user || hash) {
    if (!user || !hash || user->value.empty() || hash->value.empty()) {
      r.error(user ? user : hash, "[http] basic auth needs both user and password_hash");
    } else if (hash->value.front() != '$') {
      // Never quote it: it might be a password someone pasted in plain.
      r.error(hash,
              "[http] password_hash must be a crypt(3) hash such as $y$… (mkpasswd -m "
              "yescrypt) or $2b$… (htpasswd -nB), not a plain password");
    } else {
      out.server.auth = http::BasicAuthOptions{};
      out.server.auth->user = user->value;
      out.server.auth->password_hash = hash->value;
    }
  }
  const auto* cert = r.get("tls_cert");
  const auto* key = r.get("tls_key");
  if (cert || key) {
    if (!cert || !key || cert->value.empty() || key->value.empty()) {
      r.error(cert ? cert : key, "[http] TLS needs both tls_cert and tls_key");
    } else {
      out.server.tls = http::TlsOptions{cert->value, key->value};
    }
  }
  r.warn_unknown();
  if (r.failed() || !enabled) return std::nullopt;
  return out;
}

}  // namespace wgtrack
