#include "wireguard/x25519.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace wgtrack {

Result<PublicKey> derive_public_key(std::span<const std::uint8_t, 32> private_key) {
  EVP_PKEY* pkey =
      EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, private_key.data(), private_key.size());
  if (pkey == nullptr) return Error(ErrorCode::kProtocol, "cannot derive public key");
  PublicKey::Bytes pub{};
  std::size_t len = pub.size();
  const int ok = EVP_PKEY_get_raw_public_key(pkey, pub.data(), &len);
  EVP_PKEY_free(pkey);  // libcrypto cleanses the private key on free
  if (ok != 1 || len != pub.size()) return Error(ErrorCode::kProtocol, "cannot derive public key");
  return PublicKey(pub);
}

void secure_zero(void* data, std::size_t len) { OPENSSL_cleanse(data, len); }

}  // namespace wgtrack
