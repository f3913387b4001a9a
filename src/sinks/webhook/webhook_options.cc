#include "sinks/webhook/webhook_options.h"

#include <cctype>

#include "http_client/http_url.h"
#include "config/section_reader.h"

namespace wgtrack {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// RFC 9110 §5.6.2 token characters.
bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (!std::isalnum(c) &&
        std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) == std::string_view::npos)
      return false;
  }
  return true;
}

// Same default as the other event outputs (daemon/outputs.cc): handshakes are opt-in.
EventTypeSet default_events() {
  return EventTypeSet::of({EventType::kInitialStatus, EventType::kStatusChange,
                           EventType::kPeerAdded, EventType::kPeerRemoved,
                           EventType::kEndpointChanged, EventType::kResolveFailed,
                           EventType::kCandidateUnreachable});
}

}  // namespace

Result<std::vector<HttpClientHeader>> parse_header_list(std::string_view text) {
  // Header values are often credentials: errors say which pair is bad, never its text.
  std::vector<HttpClientHeader> out;
  std::size_t index = 0;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    std::string_view item = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (item.empty()) continue;
    ++index;
    const std::size_t colon = item.find(':');
    const std::string_view name = trim(item.substr(0, colon));
    if (colon == std::string_view::npos || !is_token(name))
      return Error(ErrorCode::kInvalidInput,
                   "expected Name: value pairs separated by commas (pair " + std::to_string(index) +
                       " is not one)");
    const std::string_view value = trim(item.substr(colon + 1));
    for (unsigned char c : value) {
      if (c < 0x20 || c == 0x7f)
        return Error(ErrorCode::kInvalidInput,
                     "header '" + std::string(name) + "' has a control character in its value");
    }
    out.push_back({std::string(name), std::string(value)});
  }
  return out;
}

std::optional<WebhookSpec> parse_webhook_output(const config::OutputSection& s,
                                                std::vector<config::Diagnostic>& diagnostics) {
  config::SectionReader r(s, diagnostics);
  WebhookSpec spec{s.name, default_events(), {}, {}};
  WebhookOptions& o = spec.options;
  if (const auto* e = r.get("url")) {
    auto url = parse_http_url(e->value);
    // The URL may carry a token (chat webhooks): quote only what the parser says.
    if (!url)
      r.error(e, "url: " + url.error().message);
    else
      o.url = e->value;
  } else {
    r.missing("url", "http(s)://HOST[:PORT]/PATH");
  }
  if (const auto* e = r.get("events")) {
    auto set = EventTypeSet::parse(e->value);
    if (!set)
      r.error(e, "events = '" + config::sanitize(e->value) + "': " + set.error().message);
    else
      spec.events = *set;
  }
  if (const auto* e = r.get("format")) {
    auto f = parse_webhook_format(e->value);
    if (!f)
      r.bad_value(e, "json or content");
    else
      o.format = *f;
  }
  r.duration("grace", o.grace, /*allow_zero=*/true);
  r.duration("timeout", o.timeout);
  r.count("retries", o.retries, 0, 100);
  r.duration("backoff", o.backoff.initial);
  r.duration("backoff_max", o.backoff.max);
  r.count("max_queue", o.max_queue, 1, 100'000);
  if (const auto* e = r.get("secret")) {
    if (e->value.empty())
      r.error(e, "secret is empty");
    else
      o.secret = e->value;
  }
  if (const auto* e = r.get("headers")) {
    auto h = parse_header_list(e->value);
    if (!h)
      r.error(e, "headers: " + h.error().message);
    else
      o.headers = std::move(*h);
  }
  r.boolean("tls_verify", spec.client.tls_verify);
  if (const auto* e = r.get("ca_file")) spec.client.ca_file = e->value;
  r.warn_unknown();
  if (o.backoff.max < o.backoff.initial) o.backoff.max = o.backoff.initial;
  if (r.failed()) return std::nullopt;
  return spec;
}

std::vector<WebhookSpec> parse_webhook_outputs(const config::Config& config,
                                               std::vector<config::Diagnostic>& diagnostics) {
  std::vector<WebhookSpec> specs;
  for (const config::OutputSection& s : config.outputs) {
    if (s.type != "webhook") continue;
    if (auto spec = parse_webhook_output(s, diagnostics)) specs.push_back(std::move(*spec));
  }
  return specs;
}

}  // namespace wgtrack
