#include "http_client/http_url.h"

#include <gtest/gtest.h>

namespace wgtrack {
namespace {

TEST(HttpUrl, ParsesHttpWithDefaults) {
  auto u = parse_http_url("http://Example.COM");
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_FALSE(u->https);
  EXPECT_EQ(u->host, "example.com");
  EXPECT_EQ(u->port, 80);
  EXPECT_EQ(u->target, "/");
  EXPECT_EQ(u->host_header(), "example.com");
}

TEST(HttpUrl, ParsesHttpsPortPathAndQuery) {
  auto u = parse_http_url("HTTPS://hooks.example.net:8443/api/x?a=1&b=2");
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_TRUE(u->https);
  EXPECT_EQ(u->port, 8443);
  EXPECT_EQ(u->target, "/api/x?a=1&b=2");
  EXPECT_EQ(u->host_header(), "hooks.example.net:8443");
  EXPECT_EQ(u->to_string(), "https://hooks.example.net:8443/api/x?a=1&b=2");
}

TEST(HttpUrl, QueryWithoutPathGetsSlash) {
  auto u = parse_http_url("http://127.0.0.1:8086?db=x");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->target, "/?db=x");
}

TEST(HttpUrl, ParsesBracketedIpv6) {
  auto u = parse_http_url("http://[2001:DB8::1]:9000/w");
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_EQ(u->host, "2001:db8::1");
  EXPECT_EQ(u->port, 9000);
  EXPECT_EQ(u->host_header(), "[2001:db8::1]:9000");
  auto d = parse_http_url("https://[::1]/");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->port, 443);
  EXPECT_EQ(d->origin(), "https://[::1]");
}

TEST(HttpUrl, RejectsWhatCannotWorkOrLeaksSecrets) {
  for (const char* bad :
       {"", "example.com", "ftp://x/", "http://", "http://:80/", "http://user:pw@host/",
        "http://host:0/", "http://host:65536/", "http://host:/", "http://host/#frag",
        "http://ho st/", "http://host/\n", "http://[::1/", "http://[zz::1]/", "http://[::1]x/",
        "http://[fe80::1%25eth0]/", "http://a$b/"}) {
    auto u = parse_http_url(bad);
    EXPECT_FALSE(u.ok()) << bad;
    if (!u.ok()) {
      EXPECT_EQ(u.error().code, ErrorCode::kInvalidInput);
    }
  }
}

TEST(HttpUrl, UserInfoErrorDoesNotEchoThePassword) {
  auto u = parse_http_url("http://admin:hunter2@host/");
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.error().message.find("hunter2"), std::string::npos);
}

TEST(Encodings, PercentAndFormEncoding) {
  EXPECT_EQ(percent_encode("my db/1 ü"), "my%20db%2F1%20%C3%BC");
  EXPECT_EQ(percent_encode("a-b.c_d~e"), "a-b.c_d~e");
  // Go's url.Values{"content": {...}}.Encode() for krumpira/wgmon's message (hook/post.go).
  EXPECT_EQ(form_encode("Connection wg0:abc+/= on endpoint 192.0.2.1:51820 is closed\n"),
            "Connection+wg0%3Aabc%2B%2F%3D+on+endpoint+192.0.2.1%3A51820+is+closed%0A");
}

TEST(Encodings, Base64Rfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode("user:p\xff"), "dXNlcjpw/w==");
}

}  // namespace
}  // namespace wgtrack
