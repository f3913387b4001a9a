// The `type = influx_http` state output: its options, the write request they make, and the
// parsing of its [output:NAME] section (pure; file:line diagnostics like daemon/outputs.cc).
//
//   [output:influxdb]
//   type        = influx_http
//   url         = http://127.0.0.1:8086   (the server's base URL; a path prefix is kept)
//   api         = v1 | v2                 (default v1)
//   v1:  database = wgtrack (required), retention_policy = ..., username = ..., password = ...
//        -> POST /write?db=wgtrack[&rp=...]&precision=s, HTTP basic auth when username is set
//   v2:  org = ..., bucket = ... (both required), token = ...
//        -> POST /api/v2/write?org=...&bucket=...&precision=s, "Authorization: Token ..."
//   schema      = wgtrack | telegraf      (the influx_file formatters; default wgtrack)
//   precision   = s | ms | us | ns        (timestamps are cut to it; default s)
//   timeout     = 10s                     (per request)
//   backoff     = 1s, backoff_max = 60s   (waits between retries of a failed batch, jittered)
//   max_buffer  = 50000                   (lines kept while the server is away; oldest dropped)
//   batch_lines = 5000                    (lines per request at most)
//   tls_verify  = true, ca_file = ...     (https)
//
// Credentials (password, token) are never quoted in diagnostics or logs.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "http_client/http_client.h"
#include "http_client/retry_backoff.h"
#include "sinks/influx/influx_format.h"

namespace wgtrack {

enum class InfluxApi : std::uint8_t { kV1, kV2 };
enum class InfluxPrecision : std::uint8_t { kSeconds, kMilliseconds, kMicroseconds, kNanoseconds };
std::string_view to_string(InfluxPrecision precision);  // "s", "ms", "us", "ns"
std::optional<InfluxPrecision> parse_influx_precision(std::string_view text);

struct InfluxHttpOptions {
  std::string url = "http://127.0.0.1:8086";
  InfluxApi api = InfluxApi::kV1;
  std::string database, retention_policy, username, password;  // v1
  std::string org, bucket, token;                              // v2
  InfluxSchema schema = InfluxSchema::kWgtrack;
  InfluxPrecision precision = InfluxPrecision::kSeconds;
  std::chrono::milliseconds timeout = std::chrono::seconds(10);
  RetryBackoff backoff;
  std::size_t max_buffer_lines = 50'000;
  std::size_t batch_lines = 5'000;
};

// URL (with the query) and headers of a write request; kInvalidInput for a bad base URL (one
// with a query) or a missing database / org / bucket.
struct InfluxWriteTarget {
  std::string url;
  std::vector<HttpClientHeader> headers;  // Authorization when credentials are set
};
Result<InfluxWriteTarget> influx_write_target(const InfluxHttpOptions& options);

// Rewrites the trailing nanosecond timestamp of every line to `precision` (integer division,
// toward negative infinity). Lines without a timestamp are kept as they are.
std::string influx_retime(std::string_view lines, InfluxPrecision precision);

struct InfluxHttpSpec {
  std::string name;
  InfluxHttpOptions options;
  HttpClientOptions client;  // tls_verify, ca_file
};

// One section (type influx_http); nullopt when it has errors (appended to `diagnostics`).
std::optional<InfluxHttpSpec> parse_influx_http_output(
    const config::OutputSection& section, std::vector<config::Diagnostic>& diagnostics);
// Every `type = influx_http` section of `config`, in file order.
std::vector<InfluxHttpSpec> parse_influx_http_outputs(const config::Config& config,
                                                      std::vector<config::Diagnostic>& diagnostics);

}  // namespace wgtrack
