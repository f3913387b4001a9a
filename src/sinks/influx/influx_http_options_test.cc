#include "sinks/influx/influx_http_options.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace wgtrack {
namespace {

using namespace std::chrono_literals;

TEST(InfluxWriteTarget, V1WithDatabaseRetentionPolicyAndBasicAuth) {
  InfluxHttpOptions o;
  o.url = "http://127.0.0.1:8086/";
  o.database = "wg track";
  o.retention_policy = "a&b";
  o.username = "writer";
  o.password = "pa:ss";
  auto t = influx_write_target(o);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->url, "http://127.0.0.1:8086/write?db=wg%20track&rp=a%26b&precision=s");
  EXPECT_EQ(t->headers,
            (std::vector<HttpClientHeader>{{"Authorization", "Basic d3JpdGVyOnBhOnNz"}}));
}

TEST(InfluxWriteTarget, V2WithTokenAndAPathPrefix) {
  InfluxHttpOptions o;
  o.url = "https://influx.example.net/proxy/influx";
  o.api = InfluxApi::kV2;
  o.org = "ops";
  o.bucket = "wg/metrics";
  o.token = "tok==";
  o.precision = InfluxPrecision::kMilliseconds;
  auto t = influx_write_target(o);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->url,
            "https://influx.example.net/proxy/influx/api/v2/write?org=ops&bucket=wg%2Fmetrics"
            "&precision=ms");
  EXPECT_EQ(t->headers, (std::vector<HttpClientHeader>{{"Authorization", "Token tok=="}}));
}

TEST(InfluxWriteTarget, RejectsMissingNamesAndQueries) {
  InfluxHttpOptions v1;
  EXPECT_FALSE(influx_write_target(v1).ok());  // no database
  v1.database = "x";
  v1.url = "http://127.0.0.1:8086/?db=y";
  EXPECT_FALSE(influx_write_target(v1).ok());
  InfluxHttpOptions v2;
  v2.api = InfluxApi::kV2;
  v2.org = "o";
  EXPECT_FALSE(influx_write_target(v2).ok());  // no bucket
}

TEST(InfluxRetime, CutsTrailingNanosecondsToThePrecision) {
  const std::string lines =
      "wgtrack,interface=wg0,peer=k status=\"up:ok\",is_up=1i 1763771123456789012\n"
      "m,t=a\\ b f=\"x y\" 1763771123999999999\n"
      "m f=1i\n";
  EXPECT_EQ(influx_retime(lines, InfluxPrecision::kSeconds),
            "wgtrack,interface=wg0,peer=k status=\"up:ok\",is_up=1i 1763771123\n"
            "m,t=a\\ b f=\"x y\" 1763771123\n"
            "m f=1i\n");
  const std::string ms = influx_retime(lines, InfluxPrecision::kMilliseconds);
  EXPECT_EQ(ms.substr(0, ms.find('\n')),
            "wgtrack,interface=wg0,peer=k status=\"up:ok\",is_up=1i 1763771123456");
  EXPECT_EQ(influx_retime(lines, InfluxPrecision::kNanoseconds), lines);
  EXPECT_EQ(influx_retime("m f=1i -1500000000", InfluxPrecision::kSeconds), "m f=1i -2");
  EXPECT_EQ(influx_retime("", InfluxPrecision::kSeconds), "");
}

config::OutputSection section(std::vector<config::IniEntry> entries) {
  config::OutputSection s;
  s.name = "influxdb";
  s.type = "influx_http";
  s.file = "wgtrack.conf";
  s.line = 30;
  s.entries = std::move(entries);
  return s;
}

TEST(InfluxHttpOptions, ParsesV1Section) {
  std::vector<config::Diagnostic> d;
  auto spec = parse_influx_http_output(section({{"url", "http://10.0.0.5:8086", 31},
                                                {"database", "wg", 32},
                                                {"username", "u", 33},
                                                {"password", "secret-pw", 34},
                                                {"schema", "telegraf", 35},
                                                {"precision", "ms", 36},
                                                {"timeout", "3s", 37},
                                                {"max_buffer", "1000", 38},
                                                {"batch_lines", "100", 39},
                                                {"tls_verify", "no", 40}}),
                                       d);
  ASSERT_TRUE(spec.has_value()) << (d.empty() ? "" : d[0].message);
  EXPECT_TRUE(d.empty());
  const auto& o = spec->options;
  EXPECT_EQ(o.url, "http://10.0.0.5:8086");
  EXPECT_EQ(o.api, InfluxApi::kV1);
  EXPECT_EQ(o.database, "wg");
  EXPECT_EQ(o.password, "secret-pw");
  EXPECT_EQ(o.schema, InfluxSchema::kTelegraf);
  EXPECT_EQ(o.precision, InfluxPrecision::kMilliseconds);
  EXPECT_EQ(o.timeout, 3s);
  EXPECT_EQ(o.max_buffer_lines, 1000u);
  EXPECT_EQ(o.batch_lines, 100u);
  EXPECT_FALSE(spec->client.tls_verify);
}

TEST(InfluxHttpOptions, DefaultsAndV2Requirements) {
  std::vector<config::Diagnostic> d;
  auto v1 = parse_influx_http_output(section({{"database", "wg", 31}}), d);
  ASSERT_TRUE(v1.has_value());
  EXPECT_EQ(v1->options.url, "http://127.0.0.1:8086");
  EXPECT_EQ(v1->options.precision, InfluxPrecision::kSeconds);
  EXPECT_EQ(v1->options.schema, InfluxSchema::kWgtrack);

  auto v2 = parse_influx_http_output(section({{"api", "v2", 31}, {"token", "t0k3n", 32}}), d);
  EXPECT_FALSE(v2.has_value());
  ASSERT_EQ(d.size(), 2u);  // org and bucket missing, at the section line
  EXPECT_EQ(d[0].line, 30u);
  for (const auto& x : d) EXPECT_EQ(x.message.find("t0k3n"), std::string::npos);
}

TEST(InfluxHttpOptions, BadValuesAreErrorsWithLines) {
  std::vector<config::Diagnostic> d;
  auto spec = parse_influx_http_output(section({{"url", "http://x:8086/?q=1", 31},
                                                {"api", "v3", 32},
                                                {"database", "wg", 33},
                                                {"precision", "h", 34},
                                                {"max_buffer", "0", 35},
                                                {"flavour", "x", 36}}),
                                       d);
  EXPECT_FALSE(spec.has_value());
  ASSERT_EQ(d.size(), 5u);
  std::sort(d.begin(), d.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
  EXPECT_EQ(d[0].line, 31u);
  EXPECT_EQ(d[1].line, 32u);
  EXPECT_EQ(d[2].line, 34u);
  EXPECT_EQ(d[3].line, 35u);
  EXPECT_EQ(d[4].severity, config::Severity::kWarning);
}

}  // namespace
}  // namespace wgtrack
