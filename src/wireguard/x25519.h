// Derives a WireGuard public key from a private key (X25519 scalar multiplication of the base
// point), as wg(8) does for `wg show` on a userspace interface, whose UAPI reply carries only
// the private key. Our own implementation (no libcrypto); the private key never leaves it.
#pragma once

#include <cstdint>
#include <span>

#include "core/public_key.h"
#include "core/result.h"

namespace wgtrack {

Result<PublicKey> derive_public_key(std::span<const std::uint8_t, 32> private_key);

// Overwrites memory in a way the compiler may not elide (for buffers that held a secret).
void secure_zero(void* data, std::size_t len);

}  // namespace wgtrack
