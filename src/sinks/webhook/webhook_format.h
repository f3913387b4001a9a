// The webhook request bodies of an event (pure):
//  - json (default): the event's one JSON shape (events/event_json.h), application/json.
//  - content: a chat-style form body, `content=<text>`, application/x-www-form-urlencoded,
//    as krumpira/wgmon (hook/post.go) posts it and Discord-style receivers accept. The
//    first line of the text is wgmon's own sentence for a state change,
//      Connection <interface>:<public key> on endpoint <ip:port> is opened|closed
//    (opened = up, closed = down; other states by name: idle, stale, never, removed; an absent
//    endpoint is "none"). A second line adds the friendly name and the reason when known.
//    Other event types get a sentence of the same form (see webhook_content_text).
// Peer- and config-supplied text is stripped of control characters (sanitize_text) so a
// hostile name cannot forge a line in a chat message.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "events/event.h"

namespace wgtrack {

enum class WebhookFormat : std::uint8_t { kJson, kContent };
std::string_view to_string(WebhookFormat format);
std::optional<WebhookFormat> parse_webhook_format(std::string_view text);

std::string webhook_content_text(const Event& event);

struct WebhookBody {
  std::string content_type;
  std::string body;
};
WebhookBody webhook_body(const Event& event, WebhookFormat format);

}  // namespace wgtrack
