#include "sinks/journal/journal_format.h"

#include <gtest/gtest.h>

#include "core/utf8.h"
#include "support/utf8_samples.h"

#include <cstdlib>
#include <ctime>

namespace wgtrack {
namespace {

Event sample() {
  Event e;
  e.type = EventType::kStatusChange;
  e.timestamp = WallTime(std::chrono::seconds(1765189500));
  e.interface = "wg0";
  e.peer = *PublicKey::from_base64("rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=");
  e.name = "office";
  e.old_status = "up";
  e.status = "down";
  e.endpoint = *Endpoint::parse("192.0.2.2:51820");
  e.reason = "2 probes failed";
  return e;
}

TEST(JournalFormat, SeverityByEvent) {
  Event e = sample();
  EXPECT_EQ(event_severity(e), kSeverityWarning);  // -> down
  e.status = "up";
  EXPECT_EQ(event_severity(e), kSeverityNotice);
  e.type = EventType::kInitialStatus;
  e.status = "down";
  EXPECT_EQ(event_severity(e), kSeverityInfo);
  e.type = EventType::kPeerRemoved;
  EXPECT_EQ(event_severity(e), kSeverityWarning);
  e.type = EventType::kEndpointChanged;
  EXPECT_EQ(event_severity(e), kSeverityNotice);
  e.type = EventType::kResolveFailed;
  EXPECT_EQ(event_severity(e), kSeverityWarning);
}

TEST(JournalFormat, StructuredFields) {
  const JournalEntry entry = journal_entry(sample(), "wgtrack");
  const auto field = [&entry](const char* name) {
    const std::string* v = entry.find(name);
    return v ? *v : std::string("<absent>");
  };
  EXPECT_EQ(field("MESSAGE").rfind("{\"event\":\"status_change\",\"timestamp\":1765189500,", 0),
            0u);
  EXPECT_EQ(field("PRIORITY"), "4");
  EXPECT_EQ(field("SYSLOG_IDENTIFIER"), "wgtrack");
  EXPECT_EQ(field("WGTRACK_EVENT"), "status_change");
  EXPECT_EQ(field("WGTRACK_INTERFACE"), "wg0");
  EXPECT_EQ(field("WGTRACK_PEER"), "rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=");
  EXPECT_EQ(field("WGTRACK_NAME"), "office");
  EXPECT_EQ(field("WGTRACK_STATUS"), "down");
  EXPECT_EQ(field("WGTRACK_OLD_STATUS"), "up");
  EXPECT_EQ(field("WGTRACK_ENDPOINT"), "192.0.2.2:51820");
  EXPECT_EQ(field("WGTRACK_REASON"), "2 probes failed");
  EXPECT_EQ(field("WGTRACK_OLD_ENDPOINT"), "<absent>");
}

TEST(JournalFormat, EmptyFieldsOmittedAndHostileTextSanitized) {
  Event e = sample();
  e.type = EventType::kInitialStatus;
  e.old_status.clear();
  e.endpoint.reset();
  e.name = "evil\nWGTRACK_STATUS=up\xe2\x80\xa8";
  const JournalEntry entry = journal_entry(e, "wgtrack");
  EXPECT_EQ(entry.find("WGTRACK_OLD_STATUS"), nullptr);
  EXPECT_EQ(entry.find("WGTRACK_ENDPOINT"), nullptr);
  ASSERT_NE(entry.find("WGTRACK_NAME"), nullptr);
  EXPECT_EQ(*entry.find("WGTRACK_NAME"), "evil\\nWGTRACK_STATUS=up\\u2028");
  for (const auto& f : entry.fields) EXPECT_EQ(f.value.find('\n'), std::string::npos) << f.name;
  const std::string wire = encode_journal_native(entry);
  EXPECT_EQ(wire.find("\nWGTRACK_STATUS=up\n"), std::string::npos);
}

TEST(JournalFormat, InvalidUtf8IsRepairedInEveryField) {
  Event e = sample();
  e.name = testing::kBadUtf8Name;
  e.interface = testing::kBadUtf8Interface;
  const JournalEntry entry = journal_entry(e, "wgtrack");
  EXPECT_EQ(*entry.find("WGTRACK_NAME"), testing::kRepairedName);
  EXPECT_EQ(*entry.find("WGTRACK_INTERFACE"), testing::kRepairedInterface);
  for (const auto& f : entry.fields) EXPECT_TRUE(is_valid_utf8(f.value)) << f.name;
}

TEST(JournalFormat, NativeProtocolPlainAndBinaryFields) {
  JournalEntry entry;
  entry.fields = {{"MESSAGE", "hello"}, {"PRIORITY", "5"}, {"MULTI", "a\nb"}};
  const std::string wire = encode_journal_native(entry);
  const std::string expected = std::string("MESSAGE=hello\nPRIORITY=5\nMULTI\n") +
                               std::string("\x03\0\0\0\0\0\0\0", 8) + "a\nb\n";
  EXPECT_EQ(wire, expected);
}

TEST(JournalFormat, SyslogLineRfc3164) {
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  const WallTime t(std::chrono::seconds(1770267845));  // 2026-02-05 05:04:05 UTC
  EXPECT_EQ(format_syslog_line(kSeverityWarning, t, "gw1", "wgtrack", 4242, "{\"event\":1}"),
            "<28>Feb  5 05:04:05 gw1 wgtrack[4242]: {\"event\":1}");
  // The Flask monitor's tag (Xcelirate/wireguard_monitor), and info = 30 (daemon.info).
  EXPECT_EQ(format_syslog_line(kSeverityInfo, t, "", "wireguard_monitor", 1, "x"),
            "<30>Feb  5 05:04:05 - wireguard_monitor[1]: x");
}

TEST(JournalFormat, IdentifierRules) {
  EXPECT_TRUE(is_valid_identifier("wgtrack"));
  EXPECT_TRUE(is_valid_identifier("wireguard_monitor"));
  EXPECT_FALSE(is_valid_identifier(""));
  EXPECT_FALSE(is_valid_identifier("wg track"));
  EXPECT_FALSE(is_valid_identifier("wg[1]:"));
  EXPECT_FALSE(is_valid_identifier(std::string(33, 'a')));
}

}  // namespace
}  // namespace wgtrack
