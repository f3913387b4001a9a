#include "wireguard/netlink_codec.h"

#include <gtest/gtest.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/wireguard.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "support/fixtures.h"
#include "support/netlink_dump_writer.h"
#include "support/secrets.h"
#include "wireguard/netlink_message.h"

namespace wgtrack {
namespace {

using testing::Datagram;
using testing::KernelDumpOptions;

constexpr std::uint16_t kFamily = 0x1c;
constexpr std::uint32_t kSeq = 0x5eed0001;
const std::string kDir = "tests/fixtures/netlink/";

// "0a0b 0c" -> {0x0a, 0x0b, 0x0c}; spaces and newlines are for the reader.
Datagram hex(std::string_view text) {
  Datagram out;
  int hi = -1;
  for (char c : text) {
    int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (v < 0) continue;
    if (hi < 0) {
      hi = v;
    } else {
      out.push_back(static_cast<std::uint8_t>(hi << 4 | v));
      hi = -1;
    }
  }
  return out;
}

Datagram load(const std::string& name) {
  const std::string s = testing::read_fixture(kDir + name);
  return Datagram(s.begin(), s.end());
}

PublicKey key(std::uint8_t fill) {
  PublicKey::Bytes b;
  b.fill(fill);
  return PublicKey(b);
}

IpPrefix prefix(std::string_view text) { return *IpPrefix::parse(text); }
Endpoint endpoint(std::string_view text) { return *Endpoint::parse(text); }
WallTime wall(std::int64_t sec, std::int64_t nsec) {
  return WallTime(std::chrono::seconds(sec) + std::chrono::nanoseconds(nsec));
}

// The fixture devices (the generator's input). Tests check decodes against literals instead.
Device sample_device() {
  Device d;
  d.name = "wg0";
  d.ifindex = 7;
  d.listen_port = 51820;
  d.fwmark = 0x42;
  d.public_key = key(0x11);
  Peer a;
  a.public_key = key(0x21);
  a.endpoint = endpoint("192.0.2.1:51820");
  a.allowed_ips = {prefix("10.0.0.2/32")};
  a.last_handshake = wall(1700000000, 123456789);
  a.rx_bytes = 1000;
  a.tx_bytes = 2000;
  a.persistent_keepalive = 25;
  a.has_preshared_key = true;
  Peer b;
  b.public_key = key(0x22);
  b.endpoint = endpoint("[2001:db8::1]:51821");
  b.allowed_ips = {prefix("fd00::2/128"), prefix("10.0.1.0/24")};
  Peer c;
  c.public_key = key(0x23);
  c.endpoint = endpoint("[fe80::1%3]:51822");
  c.allowed_ips = {prefix("fe80::/64")};
  c.last_handshake = wall(1700000100, 0);
  c.rx_bytes = 1ull << 40;
  d.peers = {a, b, c};
  return d;
}

Device split_device() {
  Device d;
  d.name = "wg1";
  d.ifindex = 8;
  d.listen_port = 51000;
  d.public_key = key(0x12);
  for (std::uint8_t i = 0; i < 3; ++i) {
    Peer p;
    p.public_key = key(static_cast<std::uint8_t>(0x31 + i));
    p.endpoint = Endpoint::ipv4({198, 51, 100, static_cast<std::uint8_t>(i + 1)}, 51820);
    const int n = i == 1 ? 20 : 1;
    for (int j = 0; j < n; ++j) {
      p.allowed_ips.push_back(
          prefix("10.1." + std::to_string(i) + "." + std::to_string(j) + "/32"));
    }
    d.peers.push_back(p);
  }
  return d;
}

void write_file(const std::string& path, const Datagram& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
}

// Fuzz seeds: datagrams framed as [u16 little-endian length][bytes] (see the fuzz target).
void write_seed(const std::string& name, const std::vector<Datagram>& datagrams) {
  Datagram framed;
  for (const auto& d : datagrams) {
    framed.push_back(static_cast<std::uint8_t>(d.size() & 0xff));
    framed.push_back(static_cast<std::uint8_t>(d.size() >> 8));
    framed.insert(framed.end(), d.begin(), d.end());
  }
  write_file("fuzz/corpus/netlink_codec_fuzz/" + name, framed);
}

// The fixture generator. Run with WGTRACK_UPDATE_FIXTURES=1 after a deliberate format change,
// then review the hexdump diff: the tests below hold the hand-written expectations.
TEST(NetlinkFixtures, Regenerate) {
  if (std::getenv("WGTRACK_UPDATE_FIXTURES") == nullptr)
    GTEST_SKIP() << "set WGTRACK_UPDATE_FIXTURES=1";
  std::filesystem::create_directories(kDir);
  std::filesystem::create_directories("fuzz/corpus/netlink_codec_fuzz");
  KernelDumpOptions o;
  o.family = kFamily;
  o.seq = kSeq;
  auto dev = testing::write_kernel_dump(sample_device(), o);
  ASSERT_EQ(dev.size(), 1u);
  write_file(kDir + "device.bin", dev[0]);
  write_seed("device", dev);

  o.max_message = 700;  // forces peer wg1/#2's 20 allowed IPs to continue in message two
  auto split = testing::write_kernel_dump(split_device(), o);
  ASSERT_EQ(split.size(), 2u);
  write_file(kDir + "split_peer.0.bin", split[0]);
  write_file(kDir + "split_peer.1.bin", split[1]);
  write_seed("split_peer", split);

  KernelDumpOptions intr = o;
  intr.extra_flags = NLM_F_DUMP_INTR;
  auto interrupted = testing::write_kernel_dump(split_device(), intr);
  write_file(kDir + "dump_intr.bin", interrupted[0]);
  write_seed("dump_intr", {interrupted[0]});

  for (auto [name, err] : {std::pair{"error_eperm.bin", EPERM}, {"error_enodev.bin", ENODEV}}) {
    const auto d = testing::write_nlmsgerr(kSeq, err, kFamily);
    write_file(kDir + name, d);
    write_seed(std::string(name, std::strlen(name) - 4), {d});
  }
  const auto ack = testing::write_nlmsgerr(kSeq, 0, kFamily);
  write_file(kDir + "ack_ok.bin", ack);
  write_seed("ack_ok", {ack});
  const auto fam = testing::write_genl_family_reply(kSeq, kFamily);
  write_file(kDir + "genl_family.bin", fam);
  write_seed("genl_family", {fam});
  const auto enoent = testing::write_nlmsgerr(kSeq, ENOENT, GENL_ID_CTRL);
  write_file(kDir + "genl_family_enoent.bin", enoent);
  write_seed("genl_family_enoent", {enoent});

  Datagram links;
  for (const auto& m :
       {testing::write_newlink(kSeq, 1, "lo", ""), testing::write_newlink(kSeq, 2, "eth0", ""),
        testing::write_newlink(kSeq, 3, "veth0", "veth"),
        testing::write_newlink(kSeq, 7, "wg0", "wireguard"),
        testing::write_newlink(kSeq, 9, "wg-b", "wireguard"), testing::detail::done_message(o)}) {
    links.insert(links.end(), m.begin(), m.end());
  }
  write_file(kDir + "getlink.bin", links);
  write_seed("getlink", {links});

  PeerEndpointUpdate up{key(0x21), endpoint("[fe80::1%3]:51820")};
  const auto set = *encode_wg_set_endpoint(kFamily, kSeq, "wg0", up);
  write_file(kDir + "set_endpoint_request.bin", set);
}

// --- helpers for the decode tests ----------------------------------------------------------

Result<Device> decode_dump(const std::vector<Datagram>& datagrams, std::string_view name = "wg0") {
  WgDeviceDumpAssembler dump(kFamily, kSeq, name);
  for (std::size_t i = 0; i < datagrams.size(); ++i) {
    auto st = dump.feed(datagrams[i]);
    if (!st) return st.error();
    if (*st == DumpStatus::kInterrupted) return Error(ErrorCode::kTransient, "interrupted");
    if (*st == DumpStatus::kDone) {
      if (i + 1 != datagrams.size()) return Error(ErrorCode::kProtocol, "done too early");
      return dump.take_device();
    }
  }
  return Error(ErrorCode::kProtocol, "no NLMSG_DONE");
}

std::vector<std::string> ip_strings(const Peer& p) {
  std::vector<std::string> out;
  for (const auto& ip : p.allowed_ips) out.push_back(ip.to_string());
  return out;
}

void expect_same(const Device& got, const Device& want) {
  EXPECT_EQ(got.name, want.name);
  EXPECT_EQ(got.ifindex, want.ifindex);
  EXPECT_EQ(got.listen_port, want.listen_port);
  EXPECT_EQ(got.fwmark, want.fwmark);
  EXPECT_EQ(got.public_key, want.public_key);
  ASSERT_EQ(got.peers.size(), want.peers.size());
  for (std::size_t i = 0; i < got.peers.size(); ++i) {
    const Peer& g = got.peers[i];
    const Peer& w = want.peers[i];
    EXPECT_EQ(g.public_key, w.public_key) << i;
    EXPECT_EQ(g.endpoint, w.endpoint) << i;
    EXPECT_EQ(g.allowed_ips, w.allowed_ips) << i;
    EXPECT_EQ(g.last_handshake, w.last_handshake) << i;
    EXPECT_EQ(g.rx_bytes, w.rx_bytes) << i;
    EXPECT_EQ(g.tx_bytes, w.tx_bytes) << i;
    EXPECT_EQ(g.persistent_keepalive, w.persistent_keepalive) << i;
    EXPECT_EQ(g.has_preshared_key, w.has_preshared_key) << i;
  }
}

// Offsets where a message of `datagram` ends: cutting there leaves a valid (shorter) datagram.
std::vector<std::size_t> message_ends(const Datagram& datagram) {
  std::vector<std::size_t> ends{0};
  netlink::MessageReader r(datagram);
  netlink::Message m;
  while (r.next(m)) ends.push_back(m.payload.data() + m.payload.size() - datagram.data());
  return ends;
}

// --- golden fixtures -------------------------------------------------------------------------

TEST(NetlinkDump, DeviceFixtureHasTheKernelLayout) {
  const Datagram d = load("device.bin");
  ASSERT_GE(d.size(), 36u);
  // nlmsghdr: type = family, flags = NLM_F_MULTI, seq; genlmsghdr: WG_CMD_GET_DEVICE, v1;
  // then WGDEVICE_A_LISTEN_PORT {len 6, type 6, 51820} as netlink.c puts it first.
  EXPECT_EQ(Datagram(d.begin() + 4, d.begin() + 12), hex("1c00 0200 0100ed5e"));
  EXPECT_EQ(Datagram(d.begin() + 16, d.begin() + 28), hex("00010000 06000600 6cca0000"));
  // The private key is on the wire (0xAA...), and must not survive decoding.
  EXPECT_NE(std::search_n(d.begin(), d.end(), 32, 0xAA), d.end());
}

TEST(NetlinkDump, DecodesDeviceWithV4V6AndScopedEndpoints) {
  auto dev = decode_dump({load("device.bin")});
  ASSERT_TRUE(dev.ok()) << dev.error().message;
  EXPECT_EQ(dev->name, "wg0");
  EXPECT_EQ(dev->backend, BackendKind::kKernel);
  EXPECT_EQ(dev->ifindex, 7u);
  EXPECT_EQ(dev->listen_port, 51820);
  EXPECT_EQ(dev->fwmark, 0x42u);
  ASSERT_TRUE(dev->public_key);
  EXPECT_EQ(dev->public_key->to_base64(), "ERERERERERERERERERERERERERERERERERERERERERE=");
  ASSERT_EQ(dev->peers.size(), 3u);

  const Peer& a = dev->peers[0];
  EXPECT_EQ(a.public_key.to_base64(), "ISEhISEhISEhISEhISEhISEhISEhISEhISEhISEhISE=");
  EXPECT_EQ(a.endpoint->to_string(), "192.0.2.1:51820");
  EXPECT_EQ(ip_strings(a), std::vector<std::string>{"10.0.0.2/32"});
  EXPECT_EQ(a.last_handshake->time_since_epoch().count(), 1700000000123456789);
  EXPECT_EQ(a.rx_bytes, 1000u);
  EXPECT_EQ(a.tx_bytes, 2000u);
  EXPECT_EQ(a.persistent_keepalive, 25);
  EXPECT_TRUE(a.has_preshared_key);

  const Peer& b = dev->peers[1];
  EXPECT_EQ(b.endpoint->to_string(), "[2001:db8::1]:51821");
  EXPECT_EQ(ip_strings(b), (std::vector<std::string>{"fd00::2/128", "10.0.1.0/24"}));
  EXPECT_FALSE(b.last_handshake.has_value());  // 0/0: never
  EXPECT_FALSE(b.has_preshared_key);           // all-zero key: none
  EXPECT_EQ(b.persistent_keepalive, 0);

  const Peer& c = dev->peers[2];
  EXPECT_EQ(c.endpoint->to_string(), "[fe80::1%3]:51822");
  EXPECT_EQ(c.endpoint->scope_id(), 3u);
  EXPECT_EQ(ip_strings(c), std::vector<std::string>{"fe80::/64"});
  EXPECT_EQ(c.rx_bytes, 1ull << 40);
  EXPECT_EQ(c.last_handshake->time_since_epoch().count(), 1700000100000000000);
}

TEST(NetlinkDump, MergesPeerContinuedInNextMessage) {
  const Datagram first = load("split_peer.0.bin");
  const Datagram second = load("split_peer.1.bin");
  auto dev = decode_dump({first, second}, "wg1");
  ASSERT_TRUE(dev.ok()) << dev.error().message;
  ASSERT_EQ(dev->peers.size(), 3u);  // not 4: the continuation is no new peer
  std::vector<std::string> want;
  for (int j = 0; j < 20; ++j) want.push_back("10.1.1." + std::to_string(j) + "/32");
  EXPECT_EQ(ip_strings(dev->peers[1]), want);
  EXPECT_EQ(dev->peers[1].endpoint->to_string(), "198.51.100.2:51820");
  EXPECT_EQ(ip_strings(dev->peers[2]), std::vector<std::string>{"10.1.2.0/32"});

  // The split is real: the first message alone ends peer #2 part-way through its list, and
  // the second message starts with that peer again (its public key, then allowed IPs only).
  WgDeviceDumpAssembler partial(kFamily, kSeq, "wg1");
  ASSERT_EQ(*partial.feed(first), DumpStatus::kMore);
  ASSERT_EQ(*partial.feed(testing::detail::done_message({.family = kFamily, .seq = kSeq})),
            DumpStatus::kDone);
  const Device head = partial.take_device();
  ASSERT_EQ(head.peers.size(), 2u);
  EXPECT_GT(head.peers[1].allowed_ips.size(), 0u);
  EXPECT_LT(head.peers[1].allowed_ips.size(), 20u);
  EXPECT_EQ(second.size() > 60 ? Datagram(second.begin() + 28, second.begin() + 32) : Datagram{},
            hex("24000100"));  // peers nest, peer nest, then WGPEER_A_PUBLIC_KEY
}

// One message written byte by byte from include/uapi/linux/wireguard.h, independent of the
// builder: a device with one peer (v4 endpoint, one allowed IP) and NLMSG_DONE.
TEST(NetlinkDump, DecodesHandWrittenMessage) {
  const Datagram d = hex(
      "10010000 1c00 0200 0100ed5e 00000000"  // nlmsghdr: len 272, family, MULTI, seq, pid
      "00010000"                              // genl: GET_DEVICE v1
      "06000600 6cca0000"                     // LISTEN_PORT 51820
      "08000700 42000000"                     // FWMARK 0x42
      "08000100 07000000"                     // IFINDEX 7
      "08000200 77673000"                     // IFNAME "wg0"
      "24000300 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"  // PRIVATE_KEY
      "24000400 1111111111111111111111111111111111111111111111111111111111111111"  // PUBLIC_KEY
      "94000880"  // PEERS (nested), 148
      "90000080"  //  peer 0 (nested), 144
      "24000100 2121212121212121212121212121212121212121212121212121212121212121"
      "14000400 0200ca6c c0000201 00000000 00000000"           // ENDPOINT 192.0.2.1:51820
      "14000600 00f15365 00000000 05000000 00000000"           // HANDSHAKE 1700000000.000000005
      "0c000700 e8030000 00000000"                             // RX 1000
      "0c000800 d0070000 00000000"                             // TX 2000
      "06000500 19000000"                                      // KEEPALIVE 25
      "20000980 1c000080"                                      // ALLOWEDIPS { ip 0 {
      "05000300 18000000 06000100 02000000 08000200 0a000000"  // /24, AF_INET, 10.0.0.0 }}
      "14000000 0300 0200 0100ed5e 00000000 00000000");        // NLMSG_DONE
  auto dev = decode_dump({d});
  ASSERT_TRUE(dev.ok()) << dev.error().message;
  EXPECT_EQ(dev->listen_port, 51820);
  EXPECT_EQ(dev->ifindex, 7u);
  EXPECT_EQ(dev->fwmark, 0x42u);
  EXPECT_EQ(dev->public_key, key(0x11));
  ASSERT_EQ(dev->peers.size(), 1u);
  const Peer& p = dev->peers[0];
  EXPECT_EQ(p.public_key, key(0x21));
  EXPECT_EQ(p.endpoint->to_string(), "192.0.2.1:51820");
  EXPECT_EQ(p.last_handshake->time_since_epoch().count(), 1700000000000000005);
  EXPECT_EQ(p.rx_bytes, 1000u);
  EXPECT_EQ(p.tx_bytes, 2000u);
  EXPECT_EQ(p.persistent_keepalive, 25);
  EXPECT_FALSE(p.has_preshared_key);  // absent
  EXPECT_EQ(ip_strings(p), std::vector<std::string>{"10.0.0.0/24"});
  // The fixture writer produces the same bytes for the same device (minus the attributes
  // this hand message leaves out), which ties the generated fixtures to this hand layout.
  const Datagram generated = load("device.bin");
  ASSERT_GT(generated.size(), 124u);
  EXPECT_EQ(Datagram(d.begin() + 16, d.begin() + 124),
            Datagram(generated.begin() + 16, generated.begin() + 124));
}

TEST(NetlinkDump, KernelErrorsMapToErrorCodes) {
  WgDeviceDumpAssembler eperm(kFamily, kSeq, "wg0");
  auto r = eperm.feed(load("error_eperm.bin"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(r.error().message.find("CAP_NET_ADMIN"), std::string::npos) << r.error().message;
  EXPECT_EQ(eperm.kernel_errno(), EPERM);

  WgDeviceDumpAssembler enodev(kFamily, kSeq, "wg0");
  r = enodev.feed(load("error_enodev.bin"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_NE(r.error().message.find("ENODEV"), std::string::npos) << r.error().message;

  EXPECT_EQ(netlink_errno_error(EOPNOTSUPP, "x").code, ErrorCode::kNotFound);
  EXPECT_EQ(netlink_errno_error(ENOTSUP, "x").code, ErrorCode::kNotFound);
  EXPECT_EQ(netlink_errno_error(EBUSY, "x").code, ErrorCode::kTransient);
  EXPECT_EQ(netlink_errno_error(EINVAL, "x").code, ErrorCode::kProtocol);

  // A dump that fails part-way ends with NLMSG_DONE carrying -errno.
  WgDeviceDumpAssembler done_err(kFamily, kSeq, "wg0");
  r = done_err.feed(testing::detail::done_message({.family = kFamily, .seq = kSeq}, -EMSGSIZE));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(done_err.kernel_errno(), EMSGSIZE);
}

TEST(NetlinkDump, DumpIntrIsInterrupted) {
  WgDeviceDumpAssembler dump(kFamily, kSeq, "wg1");
  auto r = dump.feed(load("dump_intr.bin"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, DumpStatus::kInterrupted);
  EXPECT_FALSE(dump.feed(load("dump_intr.bin")).ok());  // spent
}

TEST(NetlinkDump, RejectsWrongSeqTypeAndCommand) {
  Datagram d = load("device.bin");
  Datagram wrong_seq = d;
  wrong_seq[8] ^= 1;
  auto r = WgDeviceDumpAssembler(kFamily, kSeq, "wg0").feed(wrong_seq);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kProtocol);
  Datagram wrong_type = d;
  wrong_type[4] = 0x1d;
  EXPECT_EQ(WgDeviceDumpAssembler(kFamily, kSeq, "wg0").feed(wrong_type).error().code,
            ErrorCode::kProtocol);
  Datagram wrong_cmd = d;
  wrong_cmd[16] = WG_CMD_SET_DEVICE;
  EXPECT_EQ(WgDeviceDumpAssembler(kFamily, kSeq, "wg0").feed(wrong_cmd).error().code,
            ErrorCode::kProtocol);
  WgDeviceDumpAssembler after_done(kFamily, kSeq, "wg0");
  ASSERT_EQ(*after_done.feed(d), DumpStatus::kDone);
  EXPECT_FALSE(after_done.feed(d).ok());
}

// Every prefix of every fixture: an error, or (cut exactly between messages) "more" - never a
// crash, never an out-of-bounds read (run under ASan in the fuzz build), never "done" early.
TEST(NetlinkDump, TruncatedAtEveryOffsetIsAnErrorNotACrash) {
  for (const char* name : {"device.bin", "split_peer.0.bin", "split_peer.1.bin", "dump_intr.bin",
                           "error_eperm.bin", "getlink.bin", "genl_family.bin", "ack_ok.bin"}) {
    const Datagram full = load(name);
    const auto ends = message_ends(full);
    for (std::size_t cut = 0; cut < full.size(); ++cut) {
      // A copy of exactly `cut` bytes, so ASan sees any read past the end.
      const Datagram d(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(cut));
      const bool boundary = std::find(ends.begin(), ends.end(), cut) != ends.end();
      auto st = WgDeviceDumpAssembler(kFamily, kSeq, "wg0").feed(d);
      if (st.ok()) {
        EXPECT_TRUE(boundary && *st != DumpStatus::kDone) << name << " cut at " << cut;
      }
      auto links = WgLinkDumpAssembler(kSeq).feed(d);
      if (links.ok()) {
        EXPECT_TRUE(boundary && *links != DumpStatus::kDone) << name << " " << cut;
      }
      (void)decode_genl_get_family(d, kSeq);
      (void)decode_netlink_ack(d, kSeq, "x");
    }
  }
}

// Generated dumps of many shapes decode to the device they were written from: splits at
// every place the kernel can split (device attributes repeated, peers continued, several
// messages per datagram, NLMSG_DONE alone).
TEST(NetlinkDump, KernelShapedSplitsRoundTrip) {
  Device dev = split_device();
  dev.peers.push_back(sample_device().peers[2]);
  dev.peers.insert(dev.peers.begin(), split_device().peers[1]);  // a split first peer
  dev.peers.front().public_key = key(0x41);
  for (std::size_t max : {420u, 520u, 700u, 1000u, 4096u}) {
    for (std::size_t per : {1u, 2u, 5u}) {
      for (bool done_last : {true, false}) {
        KernelDumpOptions o{.family = kFamily,
                            .seq = kSeq,
                            .max_message = max,
                            .messages_per_datagram = per,
                            .done_in_last_datagram = done_last};
        auto got = decode_dump(testing::write_kernel_dump(dev, o), "wg1");
        ASSERT_TRUE(got.ok()) << max << "/" << per << ": " << got.error().message;
        expect_same(*got, dev);
      }
    }
  }
}

TEST(NetlinkDump, RejectsGarbageInsideAttributes) {
  Device dev = sample_device();
  auto clean = testing::write_kernel_dump(dev, {.family = kFamily, .seq = kSeq});
  // Flip the handshake's nsec to 2e9 (out of range) in the first peer.
  Datagram d = clean[0];
  const Datagram hs = hex("14000600");
  auto at = std::search(d.begin(), d.end(), hs.begin(), hs.end());
  ASSERT_NE(at, d.end());
  const std::int64_t bad_nsec = 2'000'000'000;
  std::memcpy(&*(at + 12), &bad_nsec, 8);
  EXPECT_EQ(WgDeviceDumpAssembler(kFamily, kSeq, "wg0").feed(d).error().code, ErrorCode::kProtocol);
  // A nest length one past its container.
  d = clean[0];
  const Datagram peers = hex("0880");
  at = std::search(d.begin(), d.end(), peers.begin(), peers.end()) - 2;
  d[at - d.begin()] += 4;
  EXPECT_FALSE(WgDeviceDumpAssembler(kFamily, kSeq, "wg0").feed(d).ok());
}

// A reply the decoder refuses never puts key bytes into the error (and so into the log): not
// the private key that the kernel sends along, not a preshared key of the wrong size.
TEST(NetlinkDump, MalformedRepliesQuoteNoKeyMaterial) {
  Device dev = sample_device();
  dev.peers[0].has_preshared_key = true;
  const testing::KernelDumpOptions o{
      .family = kFamily, .seq = kSeq, .private_key_fill = 'S', .preshared_key_fill = 'P'};
  const Datagram clean = testing::write_kernel_dump(dev, o)[0];
  const Datagram psk_attr = hex("24000200 50505050");
  const auto psk_at = std::search(clean.begin(), clean.end(), psk_attr.begin(), psk_attr.end());
  ASSERT_NE(psk_at, clean.end());
  std::vector<Datagram> broken;
  broken.push_back(clean);
  broken.back()[psk_at - clean.begin()] = 0x20;  // a 28-byte preshared key
  broken.push_back(clean);
  broken.back()[psk_at - clean.begin()] = 0x28;  // 36 bytes, into the next attribute
  broken.push_back(Datagram(clean.begin(), psk_at + 20));  // cut inside the key
  std::string all;
  for (const Datagram& d : broken) {
    auto r = WgDeviceDumpAssembler(kFamily, kSeq, "wg0").feed(d);
    if (r.ok()) {
      ADD_FAILURE() << "decoded a broken dump";
      continue;
    }
    EXPECT_EQ(r.error().code, ErrorCode::kProtocol) << r.error().message;
    all += r.error().message + "\n";
  }
  // The fills as raw bytes, hex and base64.
  for (std::string_view secret : {"SSSSSSSS", "PPPPPPPP", "53535353", "50505050", "U1NT", "UFBQ"}) {
    EXPECT_EQ(testing::piece_of_secret_in(all, secret, 4), "") << secret << " in " << all;
  }
}

// --- requests (exact bytes) ----------------------------------------------------------------

TEST(NetlinkRequest, SetEndpointGoldenBytes) {
  PeerEndpointUpdate up{key(0x21), endpoint("[fe80::1%3]:51820")};
  auto got = encode_wg_set_endpoint(kFamily, kSeq, "wg0", up);
  ASSERT_TRUE(got.ok()) << got.error().message;
  const Datagram want =
      hex("70000000 1c00 0500 0100ed5e 00000000"  // len 112, family, REQUEST|ACK, seq, pid 0
          "01010000"                              // genl: WG_CMD_SET_DEVICE, version 1
          "08000200 77673000"                     // WGDEVICE_A_IFNAME "wg0"
          "54000880"                              // WGDEVICE_A_PEERS (nested), 84
          "50000080"                              //  peer 0 (nested), 80
          "24000100 2121212121212121212121212121212121212121212121212121212121212121"
          "08000300 04000000"           //  WGPEER_A_FLAGS = WGPEER_F_UPDATE_ONLY
          "20000400 0a00ca6c 00000000"  //  WGPEER_A_ENDPOINT sockaddr_in6: port 51820
          "fe800000000000000000000000000001 03000000");  // fe80::1, scope id 3
  EXPECT_EQ(*got, want);
  EXPECT_EQ(*got, load("set_endpoint_request.bin"));
}

TEST(NetlinkRequest, SetEndpointRefusesUnresolvedZoneAndBadNames) {
  PeerEndpointUpdate up{key(0x21), endpoint("[fe80::1%eth0]:51820")};
  EXPECT_EQ(encode_wg_set_endpoint(kFamily, kSeq, "wg0", up).error().code,
            ErrorCode::kInvalidInput);
  up.endpoint = up.endpoint.with_scope_id(2);
  EXPECT_TRUE(encode_wg_set_endpoint(kFamily, kSeq, "wg0", up).ok());
  EXPECT_FALSE(encode_wg_set_endpoint(kFamily, kSeq, "", up).ok());
  EXPECT_FALSE(encode_wg_set_endpoint(kFamily, kSeq, "sixteen-chars-xx", up).ok());
  EXPECT_FALSE(encode_wg_get_device(kFamily, kSeq, "sixteen-chars-xx").ok());
}

TEST(NetlinkRequest, GetDeviceAndGetFamilyGoldenBytes) {
  EXPECT_EQ(*encode_wg_get_device(kFamily, kSeq, "wg0"),
            hex("1c000000 1c00 0103 0100ed5e 00000000"  // REQUEST|DUMP
                "00010000 08000200 77673000"));         // GET_DEVICE v1, IFNAME "wg0"
  EXPECT_EQ(encode_genl_get_family(kSeq),
            hex("24000000 1000 0100 0100ed5e 00000000"            // GENL_ID_CTRL, REQUEST
                "03010000 0e000200 77697265677561726400 0000"));  // GETFAMILY "wireguard"
  const auto getlink = encode_rtm_getlink_dump(kSeq);
  EXPECT_EQ(Datagram(getlink.begin(), getlink.begin() + 16),
            hex("28000000 1200 0103 0100ed5e 00000000"));  // RTM_GETLINK, REQUEST|DUMP
}

// --- replies to small requests ---------------------------------------------------------------

TEST(NetlinkReply, GetFamily) {
  auto id = decode_genl_get_family(load("genl_family.bin"), kSeq);
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ(*id, kFamily);
  auto missing = decode_genl_get_family(load("genl_family_enoent.bin"), kSeq);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kUnsupported);
  EXPECT_EQ(missing.error().message, "kernel has no wireguard module");
  EXPECT_EQ(decode_genl_get_family(load("genl_family.bin"), kSeq + 1).error().code,
            ErrorCode::kProtocol);
  EXPECT_EQ(decode_genl_get_family(load("error_eperm.bin"), kSeq).error().code,
            ErrorCode::kPermissionDenied);
}

TEST(NetlinkReply, Ack) {
  EXPECT_TRUE(decode_netlink_ack(load("ack_ok.bin"), kSeq, "set").ok());
  int err = -1;
  auto r = decode_netlink_ack(load("error_eperm.bin"), kSeq, "set", &err);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(err, EPERM);
  EXPECT_EQ(decode_netlink_ack(load("error_enodev.bin"), kSeq, "set").error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(decode_netlink_ack(load("ack_ok.bin"), kSeq + 1, "set").error().code,
            ErrorCode::kProtocol);
  EXPECT_EQ(decode_netlink_ack(load("device.bin"), kSeq, "set").error().code, ErrorCode::kProtocol);
}

TEST(NetlinkReply, GetLinkFindsWireGuardLinks) {
  WgLinkDumpAssembler links(kSeq);
  auto st = links.feed(load("getlink.bin"));
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(*st, DumpStatus::kDone);
  EXPECT_EQ(links.take_links(), (std::vector<KernelLink>{{"wg0", 7}, {"wg-b", 9}}));
}

}  // namespace
}  // namespace wgtrack
