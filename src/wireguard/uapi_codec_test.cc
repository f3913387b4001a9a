#include "wireguard/uapi_codec.h"

#include <gtest/gtest.h>

#include "support/fixtures.h"
#include "support/secrets.h"

namespace wgtrack {
namespace {

using testing::read_fixture;

// tests/fixtures/uapi/get_reply.txt is a real wireguard-go 0.0.2023 reply (keys made for the
// fixture), edited to add a handshake, counters and a scoped IPv6 endpoint.
constexpr char kFixture[] = "tests/fixtures/uapi/get_reply.txt";
constexpr char kDevicePub[] = "/3nahXLulVQZNqA64Rv0w7IH3j4HOMSWbSdafhQ+8W4=";  // wg pubkey
constexpr char kPrivateB64[] = "GFd6f7qqR6YEFiWetUM7lZMgySV75BkpuUyS+8wbr3Y=";
constexpr char kPrivateHex[] = "18577a7fbaaa47a60416259eb5433b959320c9257be41929b94c92fbcc1baf76";

TEST(UapiCodec, DecodesRealReply) {
  const std::string reply = read_fixture(kFixture);
  auto d = decode_uapi_get(reply, "wg0");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->name, "wg0");
  EXPECT_EQ(d->backend, BackendKind::kUserspace);
  ASSERT_TRUE(d->public_key.has_value());
  EXPECT_EQ(d->public_key->to_base64(), kDevicePub);  // derived from the private key, as wg does
  EXPECT_EQ(d->listen_port, 51820);
  EXPECT_EQ(d->fwmark, 0x1234u);
  ASSERT_EQ(d->peers.size(), 3u);

  const Peer& a = d->peers[0];
  EXPECT_EQ(a.public_key.to_base64(), "rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=");
  EXPECT_EQ(a.endpoint->to_string(), "192.0.2.2:51820");
  ASSERT_TRUE(a.last_handshake.has_value());
  EXPECT_EQ(a.last_handshake->time_since_epoch().count(), 1763771000'250000000LL);
  EXPECT_EQ(a.tx_bytes, 123456789012u);
  EXPECT_EQ(a.rx_bytes, 4242u);
  EXPECT_EQ(a.persistent_keepalive, 25);
  EXPECT_TRUE(a.has_preshared_key);
  ASSERT_EQ(a.allowed_ips.size(), 2u);
  EXPECT_EQ(a.allowed_ips[0].to_string(), "203.0.113.2/32");
  EXPECT_EQ(a.allowed_ips[1].to_string(), "2001:db8:100::2/128");

  const Peer& b = d->peers[1];
  EXPECT_EQ(b.endpoint->to_string(), "[fe80::2%eth1]:51821");
  EXPECT_EQ(b.endpoint->zone(), "eth1");
  EXPECT_FALSE(b.last_handshake.has_value());  // sec=0 and nsec=0: never
  EXPECT_FALSE(b.has_preshared_key);           // all-zero preshared key: none
  EXPECT_EQ(b.persistent_keepalive, 0);

  const Peer& c = d->peers[2];
  EXPECT_FALSE(c.endpoint.has_value());
  ASSERT_EQ(c.allowed_ips.size(), 1u);
  EXPECT_EQ(c.allowed_ips[0].to_string(), "0.0.0.0/0");
}

TEST(UapiCodec, EmptyDeviceAndNoPrivateKey) {
  auto d = decode_uapi_get("listen_port=0\nerrno=0\n\n", "wg1");
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d->public_key.has_value());
  EXPECT_TRUE(d->peers.empty());
}

TEST(UapiCodec, ErrnoIsAnError) {
  auto d = decode_uapi_get("errno=13\n\n", "wg0");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(decode_uapi_get("errno=71\n\n", "wg0").error().code, ErrorCode::kProtocol);
}

TEST(UapiCodec, TruncationAtEveryOffsetIsAnErrorNeverACrash) {
  const std::string reply = read_fixture(kFixture);
  for (std::size_t n = 0; n + 1 < reply.size(); ++n) {
    auto d = decode_uapi_get(std::string_view(reply).substr(0, n), "wg0");
    // Only a cut right after "errno=0\n" + "\n" is complete; every shorter prefix must fail.
    EXPECT_FALSE(d.ok()) << "prefix of " << n << " bytes decoded";
  }
}

TEST(UapiCodec, MalformedValuesAreProtocolErrorsThatNameTheLineNotTheSecret) {
  std::string reply = read_fixture(kFixture);
  const std::string broken_priv = "private_key=" + std::string(kPrivateHex).substr(0, 60) + "zz\n";
  auto d = decode_uapi_get(broken_priv + "errno=0\n\n", "wg0");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::kProtocol);
  EXPECT_NE(d.error().message.find("line 1"), std::string::npos);
  EXPECT_EQ(d.error().message.find(std::string(kPrivateHex).substr(0, 16)), std::string::npos);

  for (const char* bad : {"listen_port=70000\n", "fwmark=-1\n", "public_key=abc\n",
                          "garbage-without-equals\n"}) {
    EXPECT_FALSE(decode_uapi_get(std::string(bad) + "errno=0\n\n", "x").ok()) << bad;
  }
  const std::string peer = "public_key=" + std::string(64, 'a') + "\n";
  for (const char* bad : {"endpoint=192.0.2.1\n", "endpoint=[::1:1\n", "allowed_ip=10.0.0.1\n",
                          "allowed_ip=10.0.0.1/40\n", "tx_bytes=-5\n", "rx_bytes=1x\n",
                          "last_handshake_time_nsec=1000000000\n", "last_handshake_time_sec=-1\n",
                          // found by uapi_codec_fuzz: seconds that overflow nanoseconds
                          "last_handshake_time_sec=17637710004\n",
                          "persistent_keepalive_interval=65536\n", "preshared_key=00\n"}) {
    EXPECT_FALSE(decode_uapi_get(peer + bad + "errno=0\n\n", "x").ok()) << bad;
  }
}

// A line without '=' is all value: a non-conforming implementation that prints a bare private
// or preshared key must not get any of it into the error (and from there into the log).
TEST(UapiCodec, LineWithoutEqualsIsNeverQuoted) {
  const std::string psk_hex = "8f1e3c2b4a5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7";
  const std::string peer = "public_key=" + std::string(64, 'a') + "\n";
  const std::string priv = kPrivateHex;
  for (const std::string& reply :
       {priv + "\nerrno=0\n\n", "private_key " + priv + "\nerrno=0\n\n",
        "listen_port=1\n" + peer + psk_hex + "\nerrno=0\n\n",
        peer + "preshared_key\t" + psk_hex + "\nerrno=0\n\n", priv + "\n", priv}) {
    auto d = decode_uapi_get(reply, "wg0");
    ASSERT_FALSE(d.ok()) << reply;
    EXPECT_EQ(d.error().code, ErrorCode::kProtocol);
    for (const std::string& secret : {priv, psk_hex}) {
      EXPECT_EQ(testing::piece_of_secret_in(d.error().message, secret), "") << d.error().message;
    }
  }
  auto d = decode_uapi_get(priv + "\nerrno=0\n\n", "wg0");
  EXPECT_EQ(d.error().message, "malformed UAPI reply: line 1: no '=' (64 bytes, not shown)");
  // Malformed values of the secret keys name the key only.
  for (const std::string& reply :
       {"private_key=" + priv + "0\nerrno=0\n\n", peer + "preshared_key=" + psk_hex.substr(2) +
                                                       "zz\nerrno=0\n\n"}) {
    auto e = decode_uapi_get(reply, "wg0");
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(testing::piece_of_secret_in(e.error().message, priv), "") << e.error().message;
    EXPECT_EQ(testing::piece_of_secret_in(e.error().message, psk_hex.substr(2)), "")
        << e.error().message;
    EXPECT_NE(e.error().message.find("_key')"), std::string::npos) << e.error().message;
  }
}

TEST(UapiCodec, IgnoresUnknownKeysAndRejectsTrailingData) {
  const std::string peer = "public_key=" + std::string(64, 'a') + "\n";
  EXPECT_TRUE(decode_uapi_get("new_device_key=1\n" + peer + "new_peer_key=x\nerrno=0\n\n", "x").ok());
  EXPECT_FALSE(decode_uapi_get("errno=0\nlisten_port=1\n\n", "x").ok());
  EXPECT_FALSE(decode_uapi_get("listen_port=1\n\n", "x").ok());  // blank line before errno
}

TEST(UapiCodec, ReplyCompleteness) {
  EXPECT_TRUE(uapi_reply_complete("errno=0\n\n"));
  EXPECT_TRUE(uapi_reply_complete("listen_port=1\nerrno=0\n\n"));
  EXPECT_FALSE(uapi_reply_complete("listen_port=1\nerrno=0\n"));
  EXPECT_FALSE(uapi_reply_complete("listen_port=1\n\n"));
  EXPECT_FALSE(uapi_reply_complete(""));
}

TEST(UapiCodec, SetEndpointWritesOnlyKeyEndpointAndUpdateOnly) {
  PeerEndpointUpdate u{*PublicKey::from_base64("rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI="),
                       *Endpoint::parse("[2001:db8::7]:51820")};
  EXPECT_EQ(encode_uapi_set_endpoint(u),
            "set=1\n"
            "public_key=aed82b52a0b182742e9412973f86ff6555b72971e8d90d35942ecc9cf3e53462\n"
            "update_only=true\n"
            "endpoint=[2001:db8::7]:51820\n"
            "\n");
  EXPECT_TRUE(decode_uapi_set_reply("errno=0\n\n").ok());
  EXPECT_EQ(decode_uapi_set_reply("errno=22\n\n").error().code, ErrorCode::kInvalidInput);
  EXPECT_FALSE(decode_uapi_set_reply("errno=0\n").ok());
  EXPECT_FALSE(decode_uapi_set_reply("").ok());
  EXPECT_FALSE(decode_uapi_set_reply("errno=x\n\n").ok());
}

TEST(UapiCodec, FixtureKeyMaterialIsConsistent) {
  // Guards the fixture itself: its private key is the one whose public key we expect.
  auto priv = PublicKey::from_base64(kPrivateB64);
  ASSERT_TRUE(priv.ok());
  EXPECT_EQ(priv->to_hex(), kPrivateHex);
}

}  // namespace
}  // namespace wgtrack
