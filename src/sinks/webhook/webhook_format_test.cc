#include "sinks/webhook/webhook_format.h"

#include <gtest/gtest.h>

#include "core/utf8.h"
#include "support/utf8_samples.h"

#include "events/event_json.h"

namespace wgtrack {
namespace {

constexpr const char* kKey = "rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=";

Event status_change(std::string from, std::string to) {
  Event e;
  e.type = EventType::kStatusChange;
  e.timestamp = WallTime(std::chrono::seconds(1763771123));
  e.interface = "wg0";
  e.peer = *PublicKey::from_base64(kKey);
  e.old_status = std::move(from);
  e.status = std::move(to);
  e.endpoint = *Endpoint::parse("192.0.2.2:51820");
  return e;
}

TEST(WebhookFormat, ParsesFormats) {
  EXPECT_EQ(parse_webhook_format("json"), WebhookFormat::kJson);
  EXPECT_EQ(parse_webhook_format("content"), WebhookFormat::kContent);
  EXPECT_FALSE(parse_webhook_format("xml").has_value());
  EXPECT_EQ(to_string(WebhookFormat::kContent), "content");
}

TEST(WebhookFormat, JsonIsTheEventJson) {
  const Event e = status_change("up", "down");
  const WebhookBody b = webhook_body(e, WebhookFormat::kJson);
  EXPECT_EQ(b.content_type, "application/json");
  EXPECT_EQ(b.body, event_json(e));
}

TEST(WebhookFormat, ContentIsTheWgmonSentenceFormEncoded) {
  // krumpira/wgmon: fmt.Sprintf("Connection %s on endpoint %s is %s", id, endpoint, state),
  // posted as url.Values{"content": {msg}}.Encode().
  const Event down = status_change("up", "down");
  EXPECT_EQ(webhook_content_text(down),
            std::string("Connection wg0:") + kKey + " on endpoint 192.0.2.2:51820 is closed");
  EXPECT_EQ(webhook_content_text(status_change("down", "up")),
            std::string("Connection wg0:") + kKey + " on endpoint 192.0.2.2:51820 is opened");
  const WebhookBody b = webhook_body(down, WebhookFormat::kContent);
  EXPECT_EQ(b.content_type, "application/x-www-form-urlencoded");
  EXPECT_EQ(b.body,
            "content=Connection+wg0%3ArtgrUqCxgnQulBKXP4b%2FZVW3KXHo2Q01lC7MnPPlNGI%3D+on+endpoint+"
            "192.0.2.2%3A51820+is+closed");
}

TEST(WebhookFormat, ContentAddsNameAndReasonOnASecondLineWithoutControlCharacters) {
  Event e = status_change("up", "stale");
  e.endpoint.reset();
  e.name = "evil\nConnection forged";
  e.reason = "handshake late";
  EXPECT_EQ(webhook_content_text(e), std::string("Connection wg0:") + kKey +
                                         " on endpoint none is stale\n"
                                         "evil\\nConnection forged: handshake late");
}

TEST(WebhookFormat, InvalidUtf8IsRepairedInBothFormats) {
  Event e = status_change("up", "stale");
  e.endpoint.reset();
  e.name = testing::kBadUtf8Name;
  e.interface = testing::kBadUtf8Interface;
  EXPECT_EQ(webhook_content_text(e), "Connection " + testing::kRepairedInterface + ":" + kKey +
                                         " on endpoint none is stale\n" + testing::kRepairedName);
  EXPECT_TRUE(is_valid_utf8(webhook_body(e, WebhookFormat::kJson).body));
}

TEST(WebhookFormat, EveryEventTypeHasAText) {
  for (EventType t : {EventType::kInitialStatus, EventType::kStatusChange, EventType::kPeerAdded,
                      EventType::kPeerRemoved, EventType::kEndpointChanged, EventType::kHandshake,
                      EventType::kResolveFailed, EventType::kCandidateUnreachable}) {
    Event e = status_change("up", "down");
    e.type = t;
    const std::string text = webhook_content_text(e);
    EXPECT_NE(text.find(std::string("wg0:") + kKey), std::string::npos) << to_string(t);
  }
  Event moved = status_change("", "up");
  moved.type = EventType::kEndpointChanged;
  moved.old_endpoint = *Endpoint::parse("198.51.100.1:51820");
  EXPECT_EQ(webhook_content_text(moved), std::string("Connection wg0:") + kKey +
                                             " moved from endpoint 198.51.100.1:51820 to "
                                             "192.0.2.2:51820");
}

}  // namespace
}  // namespace wgtrack
