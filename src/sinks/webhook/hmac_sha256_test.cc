#include "sinks/webhook/hmac_sha256.h"

#include <gtest/gtest.h>

namespace wgtrack {
namespace {

// RFC 4231 test cases 2 and 6 (HMAC-SHA-256).
TEST(HmacSha256, Rfc4231Vectors) {
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(hmac_sha256_hex(std::string(131, '\xaa'),
                            "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HmacSha256, SignatureHeaderValue) {
  EXPECT_EQ(webhook_signature("Jefe", "what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(kSignatureHeader, "X-Wgtrack-Signature");
  EXPECT_EQ(hmac_sha256_hex("", "").size(), 64u);
}

}  // namespace
}  // namespace wgtrack
