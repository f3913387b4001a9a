#include "http/url.h"

#include <gtest/gtest.h>

namespace wgtrack::http {
namespace {

TEST(PercentDecode, DecodesEscapesOfEitherCase) {
  auto r = percent_decode("ab%2Fc%2bd%3D%3d", false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "ab/c+d==");
}

TEST(PercentDecode, PlusIsSpaceOnlyInQueryMode) {
  EXPECT_EQ(*percent_decode("a+b", false), "a+b");
  EXPECT_EQ(*percent_decode("a+b", true), "a b");
}

TEST(PercentDecode, RejectsTruncatedOrNonHexEscapesAndNul) {
  for (const char* bad : {"%", "%2", "ab%", "%zz", "%2g", "%00"}) {
    auto r = percent_decode(bad, false);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  }
}

TEST(ParseQuery, SplitsDecodesAndKeepsOrderAndRepeats) {
  auto r = parse_query("since=10&peer=ab%2B%2F%3D&&flag&peer=x+y");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 4u);
  EXPECT_EQ((*r)[0], (std::pair<std::string, std::string>{"since", "10"}));
  EXPECT_EQ((*r)[1], (std::pair<std::string, std::string>{"peer", "ab+/="}));
  EXPECT_EQ((*r)[2], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ((*r)[3], (std::pair<std::string, std::string>{"peer", "x y"}));
}

TEST(ParseQuery, BadEscapeIsAnError) { EXPECT_FALSE(parse_query("a=%4").ok()); }

}  // namespace
}  // namespace wgtrack::http
