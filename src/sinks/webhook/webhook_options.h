// The keys of a `type = webhook` output section (pure; file:line diagnostics like
// daemon/outputs.cc):
//
//   [output:alerts]
//   type       = webhook
//   url        = https://hooks.example.net/wgtrack     (required; http:// or https://)
//   events     = all | status_change, peer_removed, ...  (default: all but handshake)
//   format     = json | content     (content: krumpira/wgmon's `content=` form, chat receivers)
//   grace      = 30s                (a disconnect is sent only if still down after it; 0 = off)
//   timeout    = 10s                (per attempt)
//   retries    = 3                  (after the first attempt; back-off 1 s, 2 s, 4 s ... jittered)
//   backoff    = 1s, backoff_max = 60s
//   max_queue  = 256                (events waiting; beyond: dropped and counted)
//   secret     = ...                (X-Wgtrack-Signature: sha256=<HMAC-SHA256 of the body>)
//   headers    = Authorization: Bearer xyz, X-Team: ops   (comma-separated Name: value pairs)
//   tls_verify = true               (false accepts any certificate)
//   ca_file    = /etc/ssl/my-ca.pem (verify against this bundle instead of the system CAs)
//
// Diagnostics never quote the secret or header values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "events/event_sink.h"
#include "http_client/http_client.h"
#include "sinks/webhook/webhook_sink.h"

namespace wgtrack {

struct WebhookSpec {
  std::string name;
  EventTypeSet events;
  WebhookOptions options;
  HttpClientOptions client;  // tls_verify, ca_file
};

// One section (its type must be "webhook"); nullopt when it has errors (appended to
// `diagnostics`, with warnings for unknown keys).
std::optional<WebhookSpec> parse_webhook_output(const config::OutputSection& section,
                                                std::vector<config::Diagnostic>& diagnostics);
// Every `type = webhook` section of `config`, in file order; sections with errors left out.
std::vector<WebhookSpec> parse_webhook_outputs(const config::Config& config,
                                               std::vector<config::Diagnostic>& diagnostics);

// "Name: value, Name2: value2" -> headers. kInvalidInput names the bad header, never a value.
Result<std::vector<HttpClientHeader>> parse_header_list(std::string_view text);

}  // namespace wgtrack
