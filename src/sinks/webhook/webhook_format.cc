#include "sinks/webhook/webhook_format.h"

#include "events/event_json.h"
#include "events/sink_text.h"
#include "http_client/http_url.h"

namespace wgtrack {
namespace {

// krumpira/wgmon's words for the two states it knew (hook/post.go MessageStateFormat).
std::string_view state_word(std::string_view status) {
  if (status == "up") return "opened";
  if (status == "down") return "closed";
  return status;
}

std::string endpoint_text(const std::optional<Endpoint>& e) {
  return e ? e->to_string() : std::string("none");
}

}  // namespace

std::string_view to_string(WebhookFormat format) {
  return format == WebhookFormat::kJson ? "json" : "content";
}

std::optional<WebhookFormat> parse_webhook_format(std::string_view text) {
  if (text == "json") return WebhookFormat::kJson;
  if (text == "content") return WebhookFormat::kContent;
  return std::nullopt;
}

std::string webhook_content_text(const Event& e) {
  const std::string id = sanitize_text(e.interface) + ":" + e.peer.to_base64();
  std::string text;
  switch (e.type) {
    case EventType::kInitialStatus:
    case EventType::kStatusChange:
    case EventType::kPeerRemoved:
      text = "Connection " + id + " on endpoint " + endpoint_text(e.endpoint) + " is " +
             std::string(state_word(sanitize_text(e.status)));
      break;
    case EventType::kPeerAdded:
      text = "Connection " + id + " on endpoint " + endpoint_text(e.endpoint) + " is added";
      break;
    case EventType::kEndpointChanged:
      text = "Connection " + id + " moved from endpoint " + endpoint_text(e.old_endpoint) + " to " +
             endpoint_text(e.endpoint);
      break;
    case EventType::kHandshake:
      text = "Connection " + id + " on endpoint " + endpoint_text(e.endpoint) +
             " completed a handshake";
      break;
    case EventType::kResolveFailed:
      text = "Connection " + id + ": endpoint name resolution failed";
      break;
    case EventType::kCandidateUnreachable:
      text = "Connection " + id + ": endpoint candidate " + endpoint_text(e.endpoint) +
             " is unreachable";
      break;
  }
  std::string detail = sanitize_text(e.name);
  if (!e.reason.empty()) detail += (detail.empty() ? "" : ": ") + sanitize_text(e.reason);
  if (!detail.empty()) text += "\n" + detail;
  return text;
}

WebhookBody webhook_body(const Event& event, WebhookFormat format) {
  if (format == WebhookFormat::kJson) return {"application/json", event_json(event)};
  return {"application/x-www-form-urlencoded",
          "content=" + form_encode(webhook_content_text(event))};
}

}  // namespace wgtrack
