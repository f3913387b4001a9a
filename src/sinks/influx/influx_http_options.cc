#include "sinks/influx/influx_http_options.h"

#include <charconv>

#include "http_client/http_url.h"
#include "config/section_reader.h"

namespace wgtrack {
namespace {

std::int64_t divisor(InfluxPrecision p) {
  switch (p) {
    case InfluxPrecision::kSeconds:
      return 1'000'000'000;
    case InfluxPrecision::kMilliseconds:
      return 1'000'000;
    case InfluxPrecision::kMicroseconds:
      return 1'000;
    case InfluxPrecision::kNanoseconds:
      return 1;
  }
  return 1;
}

void retime_line(std::string& out, std::string_view line, std::int64_t div) {
  const std::size_t space = line.rfind(' ');
  std::int64_t ns = 0;
  if (space != std::string_view::npos) {
    const std::string_view ts = line.substr(space + 1);
    auto [p, ec] = std::from_chars(ts.data(), ts.data() + ts.size(), ns);
    if (ec == std::errc() && p == ts.data() + ts.size() && !ts.empty()) {
      std::int64_t t = ns / div;
      if (ns % div != 0 && ns < 0) --t;  // floor, as a time cut to a coarser unit
      out.append(line.substr(0, space + 1));
      out += std::to_string(t);
      return;
    }
  }
  out.append(line);
}

}  // namespace

std::string_view to_string(InfluxPrecision p) {
  switch (p) {
    case InfluxPrecision::kSeconds:
      return "s";
    case InfluxPrecision::kMilliseconds:
      return "ms";
    case InfluxPrecision::kMicroseconds:
      return "us";
    case InfluxPrecision::kNanoseconds:
      return "ns";
  }
  return "s";
}

std::optional<InfluxPrecision> parse_influx_precision(std::string_view text) {
  for (auto p : {InfluxPrecision::kSeconds, InfluxPrecision::kMilliseconds,
                 InfluxPrecision::kMicroseconds, InfluxPrecision::kNanoseconds}) {
    if (text == to_string(p)) return p;
  }
  return std::nullopt;
}

std::string influx_retime(std::string_view lines, InfluxPrecision precision) {
  const std::int64_t div = divisor(precision);
  if (div == 1) return std::string(lines);
  std::string out;
  out.reserve(lines.size());
  while (!lines.empty()) {
    const std::size_t nl = lines.find('\n');
    retime_line(out, lines.substr(0, nl), div);
    if (nl == std::string_view::npos) break;
    out += '\n';
    lines.remove_prefix(nl + 1);
  }
  return out;
}

Result<InfluxWriteTarget> influx_write_target(const InfluxHttpOptions& o) {
  auto base = parse_http_url(o.url);
  if (!base) return base.error();
  if (base->target.find('?') != std::string::npos)
    return Error(ErrorCode::kInvalidInput, "url must not have a query (the write path is added)");
  std::string prefix = base->target;
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  InfluxWriteTarget t;
  const std::string precision = "&precision=" + std::string(to_string(o.precision));
  if (o.api == InfluxApi::kV1) {
    if (o.database.empty()) return Error(ErrorCode::kInvalidInput, "api v1 needs database");
    t.url = base->origin() + prefix + "/write?db=" + percent_encode(o.database);
    if (!o.retention_policy.empty()) t.url += "&rp=" + percent_encode(o.retention_policy);
    t.url += precision;
    // Basic auth rather than u=/p= in the query: a URL ends up in proxy and server logs.
    if (!o.username.empty())
      t.headers.push_back(
          {"Authorization", "Basic " + base64_encode(o.username + ":" + o.password)});
  } else {
    if (o.org.empty() || o.bucket.empty())
      return Error(ErrorCode::kInvalidInput, "api v2 needs org and bucket");
    t.url = base->origin() + prefix + "/api/v2/write?org=" + percent_encode(o.org) +
            "&bucket=" + percent_encode(o.bucket) + precision;
    if (!o.token.empty()) t.headers.push_back({"Authorization", "Token " + o.token});
  }
  return t;
}

std::optional<InfluxHttpSpec> parse_influx_http_output(
    const config::OutputSection& s, std::vector<config::Diagnostic>& diagnostics) {
  config::SectionReader r(s, diagnostics);
  InfluxHttpSpec spec{s.name, {}, {}};
  InfluxHttpOptions& o = spec.options;
  if (const auto* e = r.get("url")) {
    auto url = parse_http_url(e->value);
    if (!url)
      r.error(e, "url: " + url.error().message);
    else if (url->target.find('?') != std::string::npos)
      r.error(e, "url must not have a query");
    else
      o.url = e->value;
  }
  if (const auto* e = r.get("api")) {
    if (e->value == "v1")
      o.api = InfluxApi::kV1;
    else if (e->value == "v2")
      o.api = InfluxApi::kV2;
    else
      r.bad_value(e, "v1 or v2");
  }
  auto text = [&r](std::string_view key, std::string& out) {
    if (const auto* e = r.get(key)) out = e->value;
  };
  text("database", o.database);
  if (o.database.empty()) text("db", o.database);
  text("retention_policy", o.retention_policy);
  text("username", o.username);
  text("password", o.password);
  text("org", o.org);
  text("bucket", o.bucket);
  text("token", o.token);
  if (o.api == InfluxApi::kV1 && o.database.empty()) r.missing("database", "NAME (api v1)");
  if (o.api == InfluxApi::kV2 && o.org.empty()) r.missing("org", "NAME (api v2)");
  if (o.api == InfluxApi::kV2 && o.bucket.empty()) r.missing("bucket", "NAME (api v2)");
  if (const auto* e = r.get("schema")) {
    auto schema = parse_influx_schema(e->value);
    if (!schema)
      r.bad_value(e, "wgtrack or telegraf");
    else
      o.schema = *schema;
  }
  if (const auto* e = r.get("precision")) {
    auto p = parse_influx_precision(e->value);
    if (!p)
      r.bad_value(e, "s, ms, us or ns");
    else
      o.precision = *p;
  }
  r.duration("timeout", o.timeout);
  r.duration("backoff", o.backoff.initial);
  r.duration("backoff_max", o.backoff.max);
  r.count("max_buffer", o.max_buffer_lines, 1, 10'000'000);
  r.count("batch_lines", o.batch_lines, 1, 1'000'000);
  r.boolean("tls_verify", spec.client.tls_verify);
  text("ca_file", spec.client.ca_file);
  r.warn_unknown();
  if (o.backoff.max < o.backoff.initial) o.backoff.max = o.backoff.initial;
  if (r.failed()) return std::nullopt;
  return spec;
}

std::vector<InfluxHttpSpec> parse_influx_http_outputs(
    const config::Config& config, std::vector<config::Diagnostic>& diagnostics) {
  std::vector<InfluxHttpSpec> specs;
  for (const config::OutputSection& s : config.outputs) {
    if (s.type != "influx_http") continue;
    if (auto spec = parse_influx_http_output(s, diagnostics)) specs.push_back(std::move(*spec));
  }
  return specs;
}

}  // namespace wgtrack
