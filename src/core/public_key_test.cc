#include "core/public_key.h"

#include <gtest/gtest.h>

namespace wgtrack {
namespace {

// A real key pair's public half (wg pubkey), and its hex form as the UAPI prints it.
constexpr char kB64[] = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
constexpr char kHex[] = "c53201039adba14be71f886da1d8dbe9eebded08cb111b75340078999aa9f038";

std::string hex_no_spaces() { return kHex; }

TEST(PublicKey, Base64RoundTrip) {
  auto k = PublicKey::from_base64(kB64);
  ASSERT_TRUE(k.ok()) << k.error().message;
  EXPECT_EQ(k->to_base64(), kB64);
  EXPECT_EQ(k->to_hex(), hex_no_spaces());
}

TEST(PublicKey, HexRoundTripAndAgreesWithBase64) {
  auto h = PublicKey::from_hex(hex_no_spaces());
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(*h, *PublicKey::from_base64(kB64));
  auto upper = hex_no_spaces();
  for (auto& c : upper) c = static_cast<char>(std::toupper(c));
  EXPECT_EQ(*PublicKey::from_hex(upper), *h);
}

TEST(PublicKey, RejectsWrongLengthPaddingAlphabet) {
  EXPECT_FALSE(PublicKey::from_base64("").ok());
  EXPECT_FALSE(PublicKey::from_base64(std::string(kB64).substr(0, 43)).ok());  // no '='
  EXPECT_FALSE(PublicKey::from_base64(std::string(kB64) + "=").ok());
  std::string bad = kB64;
  bad[5] = '*';
  EXPECT_FALSE(PublicKey::from_base64(bad).ok());
  bad = kB64;
  bad[43] = 'A';
  EXPECT_FALSE(PublicKey::from_base64(bad).ok());
  EXPECT_EQ(PublicKey::from_base64("short").error().code, ErrorCode::kInvalidInput);
}

TEST(PublicKey, RejectsNonCanonicalTrailingBits) {
  // 'g' = 32: the last base64 digit before '=' carries 2 unused bits that must be 0.
  std::string k = kB64;
  ASSERT_EQ(k[42], 'g');
  k[42] = 'h';  // sets an unused bit: would decode to the same bytes
  EXPECT_FALSE(PublicKey::from_base64(k).ok());
}

TEST(PublicKey, HexRejectsBadInput) {
  EXPECT_FALSE(PublicKey::from_hex("abc").ok());
  std::string h = hex_no_spaces();
  h[10] = 'g';
  EXPECT_FALSE(PublicKey::from_hex(h).ok());
}

TEST(PublicKey, ZeroAndHash) {
  EXPECT_TRUE(PublicKey().is_zero());
  auto k = *PublicKey::from_base64(kB64);
  EXPECT_FALSE(k.is_zero());
  EXPECT_NE(PublicKeyHash{}(k), PublicKeyHash{}(PublicKey()));
}

}  // namespace
}  // namespace wgtrack
