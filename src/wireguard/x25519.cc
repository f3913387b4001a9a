// X25519 public key derivation: scalar multiplication of the base point u = 9 (RFC 7748 §5),
// our own so that wgtrack does not load libcrypto for one operation per device read (libcrypto
// kept 3.4 MiB of the daemon's 10 MiB RSS resident, and 3 ms of `wgtrack show`'s start).
// Field arithmetic mod p = 2^255 - 19 in five 51-bit limbs with 128-bit products; the
// Montgomery ladder with constant-time conditional swaps, straight from RFC 7748 §5.
// Checked against RFC 7748 §6.1's vectors and against OpenSSL on random keys (x25519_test).
#include "wireguard/x25519.h"

#include <array>
#include <cstring>

namespace wgtrack {
namespace {

using u64 = std::uint64_t;
using u128 = unsigned __int128;
using Fe = std::array<u64, 5>;

constexpr u64 kMask = (u64{1} << 51) - 1;

void carry(Fe& h) {
  for (int i = 0; i < 4; ++i) {
    h[i + 1] += h[i] >> 51;
    h[i] &= kMask;
  }
  h[0] += 19 * (h[4] >> 51);  // 2^255 = 19 (mod p)
  h[4] &= kMask;
  h[1] += h[0] >> 51;
  h[0] &= kMask;
}

Fe add(const Fe& a, const Fe& b) {
  Fe h;
  for (int i = 0; i < 5; ++i) h[i] = a[i] + b[i];
  return h;
}

// a - b + 2p, so no limb underflows (inputs are carried: limbs < 2^52).
Fe sub(const Fe& a, const Fe& b) {
  constexpr u64 k2p0 = 2 * ((u64{1} << 51) - 19);
  constexpr u64 k2pi = 2 * kMask;
  Fe h{a[0] + k2p0 - b[0], a[1] + k2pi - b[1], a[2] + k2pi - b[2], a[3] + k2pi - b[3],
       a[4] + k2pi - b[4]};
  carry(h);
  return h;
}

Fe reduce_wide(const u128 t[5]) {
  Fe h;
  u128 c = 0;
  for (int i = 0; i < 5; ++i) {
    const u128 v = t[i] + c;
    h[i] = static_cast<u64>(v) & kMask;
    c = v >> 51;
  }
  const u128 v0 = static_cast<u128>(h[0]) + c * 19;
  h[0] = static_cast<u64>(v0) & kMask;
  h[1] += static_cast<u64>(v0 >> 51);
  return h;
}

Fe mul(const Fe& a, const Fe& b) {
  const u64 b1 = 19 * b[1], b2 = 19 * b[2], b3 = 19 * b[3], b4 = 19 * b[4];
  auto m = [](u64 x, u64 y) { return static_cast<u128>(x) * y; };
  const u128 t[5] = {
      m(a[0], b[0]) + m(a[1], b4) + m(a[2], b3) + m(a[3], b2) + m(a[4], b1),
      m(a[0], b[1]) + m(a[1], b[0]) + m(a[2], b4) + m(a[3], b3) + m(a[4], b2),
      m(a[0], b[2]) + m(a[1], b[1]) + m(a[2], b[0]) + m(a[3], b4) + m(a[4], b3),
      m(a[0], b[3]) + m(a[1], b[2]) + m(a[2], b[1]) + m(a[3], b[0]) + m(a[4], b4),
      m(a[0], b[4]) + m(a[1], b[3]) + m(a[2], b[2]) + m(a[3], b[1]) + m(a[4], b[0]),
  };
  return reduce_wide(t);
}

Fe sq(const Fe& a) { return mul(a, a); }

Fe mul_small(const Fe& a, u64 n) {
  u128 t[5];
  for (int i = 0; i < 5; ++i) t[i] = static_cast<u128>(a[i]) * n;
  return reduce_wide(t);
}

void cswap(u64 swap, Fe& a, Fe& b) {
  const u64 mask = 0 - swap;
  for (int i = 0; i < 5; ++i) {
    const u64 t = mask & (a[i] ^ b[i]);
    a[i] ^= t;
    b[i] ^= t;
  }
}

// z^(p-2) = z^-1 (Fermat). p - 2 = 2^255 - 21: every bit set from 254 down except bits 4 and 2.
Fe invert(const Fe& z) {
  Fe r{1, 0, 0, 0, 0};
  for (int bit = 254; bit >= 0; --bit) {
    r = sq(r);
    if (bit != 4 && bit != 2) r = mul(r, z);
  }
  return r;
}

void to_bytes(std::uint8_t out[32], Fe h) {
  carry(h);
  carry(h);
  // h < 2^255 + small: subtract p once if h >= p (q = 1 exactly then).
  u64 q = (h[0] + 19) >> 51;
  for (int i = 1; i < 5; ++i) q = (h[i] + q) >> 51;
  h[0] += 19 * q;
  for (int i = 0; i < 4; ++i) {
    h[i + 1] += h[i] >> 51;
    h[i] &= kMask;
  }
  h[4] &= kMask;
  const u64 w[4] = {h[0] | h[1] << 51, h[1] >> 13 | h[2] << 38, h[2] >> 26 | h[3] << 25,
                    h[3] >> 39 | h[4] << 12};
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 8; ++j) out[8 * i + j] = static_cast<std::uint8_t>(w[i] >> (8 * j));
  }
}

}  // namespace

Result<PublicKey> derive_public_key(std::span<const std::uint8_t, 32> private_key) {
  std::uint8_t k[32];
  std::memcpy(k, private_key.data(), 32);
  k[0] &= 248;  // clamping, RFC 7748 §5 decodeScalar25519
  k[31] &= 127;
  k[31] |= 64;

  const Fe x1{9, 0, 0, 0, 0};  // the base point
  Fe x2{1, 0, 0, 0, 0}, z2{0, 0, 0, 0, 0}, x3 = x1, z3{1, 0, 0, 0, 0};
  u64 swap = 0;
  for (int t = 254; t >= 0; --t) {
    const u64 k_t = (k[t >> 3] >> (t & 7)) & 1;
    swap ^= k_t;
    cswap(swap, x2, x3);
    cswap(swap, z2, z3);
    swap = k_t;
    const Fe a = add(x2, z2), aa = sq(a), b = sub(x2, z2), bb = sq(b), e = sub(aa, bb);
    const Fe c = add(x3, z3), d = sub(x3, z3), da = mul(d, a), cb = mul(c, b);
    x3 = sq(add(da, cb));
    z3 = mul(x1, sq(sub(da, cb)));
    x2 = mul(aa, bb);
    z2 = mul(e, add(aa, mul_small(e, 121665)));
  }
  cswap(swap, x2, x3);
  cswap(swap, z2, z3);
  PublicKey::Bytes out{};
  to_bytes(out.data(), mul(x2, invert(z2)));
  secure_zero(k, sizeof k);
  return PublicKey(out);
}

void secure_zero(void* data, std::size_t len) {
  // A volatile pointer: the compiler may not drop stores to memory it cannot see used.
  volatile std::uint8_t* p = static_cast<volatile std::uint8_t*>(data);
  while (len--) *p++ = 0;
}

}  // namespace wgtrack
