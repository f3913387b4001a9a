#include "config/ini_parser.h"

#include <gtest/gtest.h>

#include "support/utf8_samples.h"

namespace wgtrack::config {
namespace {

IniParseResult parse(std::string_view text) { return parse_ini(text, "t.conf"); }

std::string value(const IniParseResult& r, std::string_view section, std::string_view key) {
  const IniSection* s = r.document.find(section);
  if (s == nullptr) return "<no section>";
  const IniEntry* e = s->find(key);
  return e == nullptr ? "<no key>" : e->value;
}

TEST(IniParser, SectionsKeysAndLines) {
  auto r = parse(
      "# comment\n"
      "; other comment\n"
      "[general]\n"
      "cycle_time = 30\n"
      "  Ping_Interval:2  \n"
      "\n"
      "[interface:wg0]\n"
      "ping_interval=0\n");
  EXPECT_TRUE(r.diagnostics.empty());
  ASSERT_EQ(r.document.sections.size(), 2u);
  const auto& g = r.document.sections[0];
  EXPECT_EQ(g.name, "general");
  EXPECT_EQ(g.line, 3u);
  ASSERT_EQ(g.entries.size(), 2u);
  EXPECT_EQ(g.entries[0].key, "cycle_time");
  EXPECT_EQ(g.entries[0].line, 4u);
  EXPECT_EQ(g.entries[1].key, "ping_interval");  // lowercased, ':' delimiter
  EXPECT_EQ(g.entries[1].value, "2");
  EXPECT_EQ(g.entries[1].line, 5u);
  EXPECT_EQ(value(r, "interface:wg0", "ping_interval"), "0");
  EXPECT_EQ(r.document.sections[1].entries[0].line, 8u);
}

TEST(IniParser, InlineCommentsNeedWhitespace) {
  auto r = parse(
      "[s]\n"
      "a = 1 # note\n"
      "b = 2 ; note\n"
      "c = pass#word\n"
      "d = x;y\n"
      "e = # only a comment\n"
      "f=#fff\n"
      "g = url\t# tab before\n");
  EXPECT_TRUE(r.diagnostics.empty());
  EXPECT_EQ(value(r, "s", "a"), "1");
  EXPECT_EQ(value(r, "s", "b"), "2");
  EXPECT_EQ(value(r, "s", "c"), "pass#word");
  EXPECT_EQ(value(r, "s", "d"), "x;y");
  EXPECT_EQ(value(r, "s", "e"), "");
  EXPECT_EQ(value(r, "s", "f"), "#fff");
  EXPECT_EQ(value(r, "s", "g"), "url");
}

TEST(IniParser, FirstDelimiterSplits) {
  auto r = parse("[peer:x]\nendpoints = host.example:51820\nurl: http://x:1/a=b\n");
  EXPECT_TRUE(r.diagnostics.empty());
  EXPECT_EQ(value(r, "peer:x", "endpoints"), "host.example:51820");
  EXPECT_EQ(value(r, "peer:x", "url"), "http://x:1/a=b");
}

TEST(IniParser, DuplicateKeyWarnsLastWins) {
  auto r = parse("[general]\ncycle_time = 10\ncycle_time = 20\n");
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].severity, Severity::kWarning);
  EXPECT_EQ(r.diagnostics[0].line, 3u);
  EXPECT_NE(r.diagnostics[0].message.find("duplicate key 'cycle_time'"), std::string::npos);
  EXPECT_NE(r.diagnostics[0].message.find("line 2"), std::string::npos);
  EXPECT_EQ(value(r, "general", "cycle_time"), "20");
  EXPECT_EQ(r.document.sections[0].entries[0].line, 3u);
}

TEST(IniParser, DuplicateSectionMerges) {
  auto r = parse("[general]\na = 1\n[other]\nx = y\n[general]\nb = 2\n");
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].severity, Severity::kWarning);
  EXPECT_EQ(r.diagnostics[0].line, 5u);
  EXPECT_NE(r.diagnostics[0].message.find("duplicate section [general]"), std::string::npos);
  ASSERT_EQ(r.document.sections.size(), 2u);
  EXPECT_EQ(value(r, "general", "a"), "1");
  EXPECT_EQ(value(r, "general", "b"), "2");
}

TEST(IniParser, KeyOutsideSectionIsError) {
  auto r = parse("cycle_time = 5\n[general]\n");
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].severity, Severity::kError);
  EXPECT_EQ(r.diagnostics[0].line, 1u);
  EXPECT_NE(r.diagnostics[0].message.find("'cycle_time' outside of any section"),
            std::string::npos);
  EXPECT_EQ(r.document.orphan_errors, 1u);
}

TEST(IniParser, MalformedLinesAreNotQuoted) {
  auto r = parse("[general]\nthis is not a pair\n= value\n[broken\nx = 1\n[ok]\ny = 2\n");
  ASSERT_EQ(r.diagnostics.size(), 3u);
  EXPECT_EQ(r.diagnostics[0].line, 2u);
  EXPECT_EQ(r.diagnostics[0].message, "malformed line (not shown): expected 'key = value'");
  EXPECT_EQ(r.diagnostics[1].message,
            "missing key before '=' (line not shown): expected 'key = value'");
  EXPECT_EQ(r.diagnostics[1].line, 3u);
  EXPECT_EQ(r.diagnostics[2].line, 4u);
  EXPECT_EQ(r.diagnostics[2].message,
            "malformed section header (no closing ']', not shown): expected '[name]'");
  // Lines 2-3 are in [general]; the bad header and what follows it belong to no section.
  EXPECT_EQ(r.document.find("general")->syntax_errors, 2u);
  EXPECT_EQ(r.document.orphan_errors, 1u);
  EXPECT_EQ(value(r, "ok", "y"), "2");
  EXPECT_EQ(r.document.sections.size(), 2u);
}

TEST(IniParser, ControlCharactersAreLocatedNotQuoted) {
  auto r = parse(std::string("[s]\nbad\x01line = \x1b[31mred\n  Key = \x1b[31mred\n") +
                 std::string(5000, 'x') + "\n");
  ASSERT_EQ(r.diagnostics.size(), 3u);
  EXPECT_EQ(r.diagnostics[0].message, "control character \\x01 at column 4");
  EXPECT_EQ(r.diagnostics[1].message, "control character \\x1b at column 9 in the value of 'key'");
  const auto& m2 = r.diagnostics[2].message;
  EXPECT_LT(m2.size(), 200u);
  EXPECT_EQ(m2.find("xxx"), std::string::npos);
}

// A secret in a line the parser cannot read (a forgotten '=', a stray control character, a
// value on the header's line) never reaches a diagnostic; the key's name may.
TEST(IniParser, NoValueOfAMalformedLineInAnyDiagnostic) {
  const std::string secret = "s3cr3t-T0ken-Abc123";
  auto r = parse("[http]\npassword_hash " + secret + "\ntoken = " + secret + "\x01\n" +
                 secret + "\n= " + secret + "\n[output:x] secret = " + secret + "\n[" + secret +
                 "\n" + "secret: " + secret + "\x7f\n");
  ASSERT_EQ(r.diagnostics.size(), 7u);
  std::string all;
  for (const auto& d : r.diagnostics) all += format_diagnostic(d) + "\n";
  EXPECT_EQ(all.find(secret.substr(0, 6)), std::string::npos) << all;
  EXPECT_EQ(all.find(secret.substr(8, 6)), std::string::npos) << all;
  EXPECT_NE(all.find("in the value of 'token'"), std::string::npos) << all;
  EXPECT_NE(all.find("text after '[output:x]' (not shown)"), std::string::npos) << all;
}

TEST(IniParser, CrlfBomAndEmpty) {
  auto r = parse("\xEF\xBB\xBF[general]\r\ncycle_time = 5\r\n\r\n; c\r\nx = a b \r\n");
  EXPECT_TRUE(r.diagnostics.empty());
  EXPECT_EQ(value(r, "general", "cycle_time"), "5");
  EXPECT_EQ(value(r, "general", "x"), "a b");
  EXPECT_EQ(r.document.sections[0].line, 1u);

  auto empty = parse("");
  EXPECT_TRUE(empty.diagnostics.empty());
  EXPECT_TRUE(empty.document.sections.empty());
  auto blank = parse("\n\n   \n# only comments\n");
  EXPECT_TRUE(blank.diagnostics.empty());
  auto no_newline = parse("[s]\nk = v");
  EXPECT_EQ(value(no_newline, "s", "k"), "v");
}

TEST(IniParser, LoneCarriageReturnInsideLineIsError) {
  auto r = parse("[s]\nk = a\rb\n");
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_NE(r.diagnostics[0].message.find("\\r"), std::string::npos);
}

TEST(IniParser, VeryLongValueKept) {
  const std::string v(100000, 'v');
  auto r = parse("[s]\nk = " + v + "\n");
  EXPECT_TRUE(r.diagnostics.empty());
  EXPECT_EQ(value(r, "s", "k"), v);
}

TEST(IniParser, SectionNamesKeepCaseAndSpacesTrimmed) {
  auto r = parse("[ peer:Office Router ]\nname = x\n[DEFAULT]\n");
  ASSERT_TRUE(r.diagnostics.empty());
  EXPECT_NE(r.document.find("peer:Office Router"), nullptr);
  EXPECT_NE(r.document.find("DEFAULT"), nullptr);
  auto bad = parse("[]\n[a]b]\n");
  EXPECT_EQ(bad.diagnostics.size(), 2u);
}

TEST(Diagnostics, Format) {
  std::vector<Diagnostic> d = {
      {Severity::kError, "/etc/wgtrack.conf", 12, "invalid value"},
      {Severity::kWarning, "/etc/wgtrack.conf", 0, "missing"},
      {Severity::kWarning, "", 3, "a\nb"},
  };
  EXPECT_EQ(format_diagnostics(d),
            "/etc/wgtrack.conf:12: error: invalid value\n"
            "/etc/wgtrack.conf: warning: missing\n"
            "3: warning: a\\nb\n");
  EXPECT_EQ(count_errors(d), 1u);
  EXPECT_EQ(count_warnings(d), 2u);
}

TEST(Diagnostics, SanitizeRepairsInvalidUtf8) {
  EXPECT_EQ(sanitize(testing::kBadUtf8Name, 200), testing::kRepairedName);
  EXPECT_EQ(sanitize("caf\xE9\t\xFF\n\xC3\xBC"), "caf\xEF\xBF\xBD\\t\xEF\xBF\xBD\\n\xC3\xBC");
}

TEST(Diagnostics, SanitizeKeepsUtf8Whole) {
  EXPECT_EQ(sanitize("h\xC3\xA9llo", 2), "h...");  // does not split the 2-byte 'é'
  EXPECT_EQ(sanitize("h\xC3\xA9llo", 3), "h\xC3\xA9...");
  EXPECT_EQ(sanitize("tab\there\x7f"), "tab\\there\\x7f");
}

}  // namespace
}  // namespace wgtrack::config
