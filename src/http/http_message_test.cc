#include "http/http_message.h"

#include <gtest/gtest.h>

namespace wgtrack::http {
namespace {

TEST(AcceptsGzip, WhatClientsSend) {
  EXPECT_TRUE(accepts_gzip("gzip"));                           // Prometheus
  EXPECT_TRUE(accepts_gzip("gzip, deflate, br, zstd"));        // Chromium
  EXPECT_TRUE(accepts_gzip("deflate, gzip;q=1.0, *;q=0.5"));  // curl --compressed style
  EXPECT_TRUE(accepts_gzip("x-gzip"));
  EXPECT_TRUE(accepts_gzip(" GZIP ; Q=0.5 "));
  EXPECT_FALSE(accepts_gzip(""));  // absent: identity only
  EXPECT_FALSE(accepts_gzip("identity"));
  EXPECT_FALSE(accepts_gzip("deflate, br"));
}

TEST(AcceptsGzip, QValueZeroRefusesAndStarCoversUnnamedGzip) {
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0.000"));
  EXPECT_TRUE(accepts_gzip("gzip;q=0.001"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_FALSE(accepts_gzip("*;q=0"));
  EXPECT_FALSE(accepts_gzip("*, gzip;q=0"));  // naming gzip wins over the wildcard
  EXPECT_TRUE(accepts_gzip("*;q=0, gzip"));
}

TEST(AcceptsGzip, MalformedElementsAreSkipped) {
  EXPECT_FALSE(accepts_gzip("gzip;q=2"));
  EXPECT_FALSE(accepts_gzip("gzip;q=1.5"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0.0001"));
  EXPECT_FALSE(accepts_gzip("gzip;q=abc"));
  EXPECT_FALSE(accepts_gzip("gzip;level=9"));
  EXPECT_TRUE(accepts_gzip("gzip;q=x, gzip"));  // the well-formed one counts
  EXPECT_FALSE(accepts_gzip(",,;,"));
  EXPECT_TRUE(accepts_gzip("br,,gzip"));
}

TEST(HttpResponseLater, CarriesTheStarterAndNothingElseMatters) {
  int started = 0;
  HttpResponse r = HttpResponse::later([&](HttpResponse::Completion done) {
    ++started;
    done(HttpResponse::text(200, "x"));
  });
  ASSERT_TRUE(static_cast<bool>(r.deferred));
  std::string got;
  r.deferred([&](HttpResponse answer) { got = answer.body_view(); });
  EXPECT_EQ(started, 1);
  EXPECT_EQ(got, "x");
}

}  // namespace
}  // namespace wgtrack::http
