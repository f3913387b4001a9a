#include "sinks/webhook/webhook_options.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace wgtrack {
namespace {

using namespace std::chrono_literals;

config::OutputSection section(std::vector<config::IniEntry> entries) {
  config::OutputSection s;
  s.name = "alerts";
  s.type = "webhook";
  s.file = "/etc/wgtrack.conf";
  s.line = 10;
  s.entries = std::move(entries);
  return s;
}

TEST(WebhookOptions, AllKeys) {
  std::vector<config::Diagnostic> d;
  auto spec =
      parse_webhook_output(section({{"url", "https://hooks.example.net/x/TOKEN", 11},
                                    {"events", "status_change, peer_removed", 12},
                                    {"format", "content", 13},
                                    {"grace", "45s", 14},
                                    {"timeout", "5s", 15},
                                    {"retries", "7", 16},
                                    {"backoff", "2s", 17},
                                    {"backoff_max", "30s", 18},
                                    {"max_queue", "99", 19},
                                    {"secret", "s3cret", 20},
                                    {"headers", "Authorization: Bearer abc, X-Team: ops", 21},
                                    {"tls_verify", "false", 22},
                                    {"ca_file", "/etc/ssl/ca.pem", 23}}),
                           d);
  ASSERT_TRUE(spec.has_value()) << (d.empty() ? "" : d[0].message);
  EXPECT_TRUE(d.empty());
  EXPECT_EQ(spec->name, "alerts");
  EXPECT_EQ(spec->events, EventTypeSet::of({EventType::kStatusChange, EventType::kPeerRemoved}));
  const WebhookOptions& o = spec->options;
  EXPECT_EQ(o.url, "https://hooks.example.net/x/TOKEN");
  EXPECT_EQ(o.format, WebhookFormat::kContent);
  EXPECT_EQ(o.grace, 45s);
  EXPECT_EQ(o.timeout, 5s);
  EXPECT_EQ(o.retries, 7u);
  EXPECT_EQ(o.backoff.initial, 2s);
  EXPECT_EQ(o.backoff.max, 30s);
  EXPECT_EQ(o.max_queue, 99u);
  EXPECT_EQ(o.secret, "s3cret");
  EXPECT_EQ(o.headers,
            (std::vector<HttpClientHeader>{{"Authorization", "Bearer abc"}, {"X-Team", "ops"}}));
  EXPECT_FALSE(spec->client.tls_verify);
  EXPECT_EQ(spec->client.ca_file, "/etc/ssl/ca.pem");
}

TEST(WebhookOptions, DefaultsMatchTheDocumentedOnes) {
  std::vector<config::Diagnostic> d;
  auto spec = parse_webhook_output(section({{"url", "http://127.0.0.1:9000/hook", 11}}), d);
  ASSERT_TRUE(spec.has_value());
  EXPECT_EQ(spec->options.grace, 30s);
  EXPECT_EQ(spec->options.timeout, 10s);
  EXPECT_EQ(spec->options.retries, 3u);
  EXPECT_EQ(spec->options.max_queue, 256u);
  EXPECT_EQ(spec->options.format, WebhookFormat::kJson);
  EXPECT_FALSE(spec->events.contains(EventType::kHandshake));
  EXPECT_TRUE(spec->events.contains(EventType::kStatusChange));
  EXPECT_TRUE(spec->client.tls_verify);
}

TEST(WebhookOptions, ErrorsNameFileLineAndNeverTheSecretOrHeaderValues) {
  std::vector<config::Diagnostic> d;
  auto spec = parse_webhook_output(section({{"url", "ftp://x/", 11},
                                            {"format", "xml", 12},
                                            {"grace", "soon", 13},
                                            {"retries", "-1", 14},
                                            {"headers", "Authorization Bearer topsecret", 15},
                                            {"secret", "", 16},
                                            {"colour", "blue", 17}}),
                                   d);
  EXPECT_FALSE(spec.has_value());
  ASSERT_EQ(d.size(), 7u);
  std::sort(d.begin(), d.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(d[i].severity, config::Severity::kError) << d[i].message;
    EXPECT_EQ(d[i].line, 11 + i) << d[i].message;
    EXPECT_EQ(d[i].file, "/etc/wgtrack.conf");
  }
  EXPECT_EQ(d[6].severity, config::Severity::kWarning);
  EXPECT_NE(d[6].message.find("colour"), std::string::npos);
  for (const auto& x : d) EXPECT_EQ(x.message.find("topsecret"), std::string::npos) << x.message;
}

TEST(WebhookOptions, MissingUrlIsAnErrorAtTheSectionLine) {
  std::vector<config::Diagnostic> d;
  EXPECT_FALSE(parse_webhook_output(section({}), d).has_value());
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 10u);
  EXPECT_NE(d[0].message.find("needs url"), std::string::npos);
}

TEST(WebhookOptions, PicksOnlyWebhookSections) {
  config::Config c;
  c.outputs.push_back(section({{"url", "http://127.0.0.1/", 11}}));
  auto other = section({});
  other.type = "file";
  c.outputs.push_back(other);
  std::vector<config::Diagnostic> d;
  EXPECT_EQ(parse_webhook_outputs(c, d).size(), 1u);
  EXPECT_TRUE(d.empty());
}

TEST(HeaderList, ParsesAndRejects) {
  auto h = parse_header_list(" A: 1 ,B:2,, C-D : x y ");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(*h, (std::vector<HttpClientHeader>{{"A", "1"}, {"B", "2"}, {"C-D", "x y"}}));
  EXPECT_FALSE(parse_header_list("NoColon").ok());
  EXPECT_FALSE(parse_header_list("Bad Name: x").ok());
  EXPECT_FALSE(parse_header_list(": x").ok());
}

}  // namespace
}  // namespace wgtrack
