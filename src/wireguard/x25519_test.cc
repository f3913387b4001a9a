#include "wireguard/x25519.h"

#include <openssl/evp.h>

#include <gtest/gtest.h>

#include <random>

namespace wgtrack {
namespace {

std::array<std::uint8_t, 32> hex32(const char* h) {
  std::array<std::uint8_t, 32> b{};
  EXPECT_TRUE(PublicKey::parse_hex(h, b));
  return b;
}

// RFC 7748 §6.1: Alice's and Bob's key pairs.
TEST(X25519, Rfc7748Vectors) {
  EXPECT_EQ(derive_public_key(hex32("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"))
                ->to_hex(),
            "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  EXPECT_EQ(derive_public_key(hex32("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"))
                ->to_hex(),
            "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
}

TEST(X25519, MatchesWgPubkey) {
  // `echo GFd6f7qqR6YEFiWetUM7lZMgySV75BkpuUyS+8wbr3Y= | wg pubkey`
  const auto priv = PublicKey::from_base64("GFd6f7qqR6YEFiWetUM7lZMgySV75BkpuUyS+8wbr3Y=");
  EXPECT_EQ(derive_public_key(priv->bytes())->to_base64(),
            "/3nahXLulVQZNqA64Rv0w7IH3j4HOMSWbSdafhQ+8W4=");
}

TEST(X25519, AgreesWithOpenSslOnRandomAndEdgeKeys) {
  std::mt19937_64 rng(7);
  std::vector<std::array<std::uint8_t, 32>> keys;
  keys.push_back({});  // all zero
  std::array<std::uint8_t, 32> ff;
  ff.fill(0xff);
  keys.push_back(ff);
  for (int i = 0; i < 300; ++i) {
    std::array<std::uint8_t, 32> k;
    for (auto& b : k) b = static_cast<std::uint8_t>(rng());
    keys.push_back(k);
  }
  for (const auto& k : keys) {
    EVP_PKEY* p = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, k.data(), k.size());
    ASSERT_NE(p, nullptr);
    std::array<std::uint8_t, 32> expect{};
    std::size_t len = expect.size();
    ASSERT_EQ(EVP_PKEY_get_raw_public_key(p, expect.data(), &len), 1);
    EVP_PKEY_free(p);
    ASSERT_EQ(derive_public_key(k)->bytes(), expect);
  }
}

TEST(SecureZero, Zeroes) {
  char buf[16] = "secretsecretsec";
  secure_zero(buf, sizeof buf);
  for (char c : buf) EXPECT_EQ(c, 0);
}

}  // namespace
}  // namespace wgtrack
