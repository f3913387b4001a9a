#include "daemon/http_settings.h"

#include <gtest/gtest.h>

namespace wgtrack {
namespace {

std::optional<HttpSettings> parse(const std::string& text, std::vector<config::Diagnostic>& d) {
  auto r = config::parse_config(text, "w.conf");
  d = r.diagnostics;
  return parse_http_settings(r.config, d);
}

TEST(HttpSettings, DefaultsWithoutASection) {
  std::vector<config::Diagnostic> d;
  auto s = parse("[general]\n", d);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->server.listen, std::vector<std::string>{"127.0.0.1:9586"});
  EXPECT_EQ(s->profile, PrometheusProfile::kNative);
  EXPECT_TRUE(s->dashboard);
  EXPECT_FALSE(s->server.auth);
  EXPECT_FALSE(s->server.tls);
}

TEST(HttpSettings, EveryKey) {
  std::vector<config::Diagnostic> d;
  auto s = parse(
      "[http]\nlisten = 127.0.0.1:0, [::1]:9586\nmetrics_profile = MindFlavor\n"
      "handshake_delay = yes\ndashboard = no\nuser = prom\npassword_hash = $y$j9T$abc$def\n"
      "tls_cert = /c.pem\ntls_key = /k.pem\nmax_connections = 8\n",
      d);
  ASSERT_TRUE(s) << config::format_diagnostics(d);
  EXPECT_EQ(s->server.listen, (std::vector<std::string>{"127.0.0.1:0", "[::1]:9586"}));
  EXPECT_EQ(s->profile, PrometheusProfile::kMindFlavor);
  EXPECT_TRUE(s->handshake_delay);
  EXPECT_FALSE(s->dashboard);
  ASSERT_TRUE(s->server.auth);
  EXPECT_EQ(s->server.auth->user, "prom");
  ASSERT_TRUE(s->server.tls);
  EXPECT_EQ(s->server.tls->key_file, "/k.pem");
  EXPECT_EQ(s->server.limits.max_connections, 8u);
  EXPECT_TRUE(d.empty()) << config::format_diagnostics(d);
}

TEST(HttpSettings, ErrorsNameTheLineAndNeverQuoteAPassword) {
  std::vector<config::Diagnostic> d;
  EXPECT_FALSE(parse("[http]\nlisten = localhost:9586\n", d));
  ASSERT_EQ(config::count_errors(d), 1u);
  EXPECT_EQ(d.back().line, 2u);
  EXPECT_FALSE(parse("[http]\nuser = a\npassword_hash = hunter2\n", d));
  const std::string all = config::format_diagnostics(d);
  EXPECT_EQ(all.find("hunter2"), std::string::npos) << all;
  EXPECT_NE(all.find("crypt(3)"), std::string::npos) << all;
  EXPECT_FALSE(parse("[http]\ntls_cert = /c.pem\n", d));
  EXPECT_FALSE(parse("[http]\nmetrics_profile = grafana\n", d));
  EXPECT_FALSE(parse("[http]\nenabled = no\n", d));  // off, no error
  EXPECT_EQ(config::count_errors(d), 0u);
}

}  // namespace
}  // namespace wgtrack
