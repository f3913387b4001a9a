#include "events/event_json.h"

#include <gtest/gtest.h>

namespace wgtrack {
namespace {

Event sample() {
  Event e;
  e.type = EventType::kStatusChange;
  e.timestamp = WallTime(std::chrono::seconds(1765189500) + std::chrono::milliseconds(123));
  e.interface = "wg0";
  e.peer = *PublicKey::from_base64("rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=");
  e.name = "office";
  e.old_status = "up";
  e.status = "down";
  e.endpoint = *Endpoint::parse("192.0.2.2:51820");
  e.reason = "2 probes failed";
  return e;
}

TEST(EventJson, StatusChangeShape) {
  EXPECT_EQ(event_json(sample()),
            "{\"event\":\"status_change\",\"timestamp\":1765189500,"
            "\"time\":\"2025-12-08T10:25:00.123Z\",\"interface\":\"wg0\","
            "\"peer\":\"rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=\",\"name\":\"office\","
            "\"old_status\":\"up\",\"status\":\"down\",\"new_status\":\"down\","
            "\"endpoint\":\"192.0.2.2:51820\",\"reason\":\"2 probes failed\"}");
}

TEST(EventJson, EmptyFieldsAreNullAndEndpointChangeHasOldEndpoint) {
  Event e = sample();
  e.type = EventType::kEndpointChanged;
  e.name.clear();
  e.old_status.clear();
  e.old_endpoint = *Endpoint::parse("[2001:db8::1]:51820");
  const std::string j = event_json(e);
  EXPECT_NE(j.find("\"name\":null"), std::string::npos);
  EXPECT_NE(j.find("\"old_status\":null"), std::string::npos);
  EXPECT_NE(j.find("\"old_endpoint\":\"[2001:db8::1]:51820\""), std::string::npos);
  EXPECT_EQ(j.find("new_status"), std::string::npos);
}

TEST(EventJson, HostileTextCannotInjectLinesOrFields) {
  Event e = sample();
  e.name = "x\n{\"event\":\"fake\"}";
  e.reason = "a\"b";
  const std::string j = event_json(e);
  EXPECT_EQ(j.find('\n'), std::string::npos);
  EXPECT_NE(j.find("\"name\":\"x\\n{\\\"event\\\":\\\"fake\\\"}\""), std::string::npos);
}

TEST(EventType, NamesRoundTrip) {
  for (auto t : {EventType::kInitialStatus, EventType::kStatusChange, EventType::kPeerAdded,
                 EventType::kPeerRemoved, EventType::kEndpointChanged, EventType::kHandshake,
                 EventType::kResolveFailed, EventType::kCandidateUnreachable}) {
    EXPECT_EQ(parse_event_type(to_string(t)), t);
  }
  EXPECT_FALSE(parse_event_type("nope").has_value());
}

TEST(Rfc3339, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(format_rfc3339_utc(WallTime(std::chrono::seconds(0))), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339_utc(WallTime(std::chrono::milliseconds(1795309440999))),
            "2026-11-22T01:04:00.999Z");
}

}  // namespace
}  // namespace wgtrack
