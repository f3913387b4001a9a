#include "web_assets.h"

#include <gtest/gtest.h>

#include <string>

namespace wgtrack::web {
namespace {

TEST(WebAssets, IndexAppAndStyleAreEmbeddedWithTheirTypes) {
  const Asset* index = find_asset("/");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index, find_asset("/index.html"));
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_NE(index->body.find("<title>wgtrack</title>"), std::string_view::npos);
  const Asset* app = find_asset("/app.js");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->content_type, "text/javascript; charset=utf-8");
  EXPECT_NE(app->body.find("/api/v1/status"), std::string_view::npos);
  ASSERT_NE(find_asset("/style.css"), nullptr);
  EXPECT_EQ(find_asset("/nosuch.js"), nullptr);
  EXPECT_EQ(find_asset("/../CMakeLists.txt"), nullptr);
}

TEST(WebAssets, NothingIsLoadedFromTheInternet) {
  for (const Asset& a : assets()) {
    EXPECT_EQ(a.body.find("http://"), std::string_view::npos) << a.path;
    EXPECT_EQ(a.body.find("https://"), std::string_view::npos) << a.path;
    EXPECT_EQ(a.body.find("//cdn"), std::string_view::npos) << a.path;
  }
}

}  // namespace
}  // namespace wgtrack::web
