#include "config/wgquick_parser.h"

#include <gtest/gtest.h>

#include "support/fixtures.h"

namespace wgtrack::config {
namespace {

constexpr char kLaptop[] = "arnx6499M4j0+dWG9m6Z/VQIDfLERvDlhmiwnAihbdA=";
constexpr char kOffice[] = "AV9+a8Wur0g3JAieklLME7UJUaa2lBJSJ2XP9NeAMG4=";
constexpr char kPhone[] = "L1BSyf0VsZoYxYTQE2NWgZhhPww06EQJ73k4cJoVnsI=";
constexpr char kSpare[] = "iNv2EpcsWUosL23eST7xxM0nrbqMNubr0AuJ/xQ6umE=";
// Secrets of the fixtures: they must never reach a diagnostic.
constexpr char kPrivate[] = "0aWsmgFfrC73s0FnNjVRKhUR9B/jfREbJn8DnuxdT1g=";
constexpr char kPreshared[] = "lAkd1koh/+lCFLxtF97rQ4c6XPLwpxtLXKqaXIG2ln0=";

WgQuickParseResult parse(std::string_view text) { return parse_wgquick(text, "wg9.conf", "wg9"); }

std::string all_messages(const WgQuickParseResult& r) { return format_diagnostics(r.diagnostics); }

TEST(WgQuickParser, Fixture) {
  const std::string text = testing::read_fixture("tests/fixtures/config/wg0.conf");
  auto r = parse_wgquick(text, "/etc/wireguard/wg0.conf", "wg0");
  EXPECT_TRUE(r.diagnostics.empty()) << all_messages(r);
  const auto& i = r.interface;
  EXPECT_EQ(i.name, "wg0");
  EXPECT_EQ(i.file, "/etc/wireguard/wg0.conf");
  EXPECT_EQ(i.listen_port, 51820);
  ASSERT_EQ(i.addresses.size(), 2u);
  EXPECT_EQ(i.addresses[1].to_string(), "fd00::1/64");
  ASSERT_EQ(i.peers.size(), 3u);

  const auto& laptop = i.peers[0];
  EXPECT_EQ(laptop.public_key.to_base64(), kLaptop);
  EXPECT_EQ(laptop.name, "laptop");  // "# Name: laptop" above the header
  ASSERT_TRUE(laptop.endpoint.has_value());
  EXPECT_EQ(laptop.endpoint->host(), "laptop.example.net");  // unresolved
  EXPECT_EQ(laptop.endpoint->port(), 51820);
  ASSERT_EQ(laptop.allowed_ips.size(), 2u);  // two AllowedIPs lines, inline comment dropped
  EXPECT_EQ(laptop.allowed_ips[0].to_string(), "10.0.0.2/32");
  EXPECT_EQ(laptop.allowed_ips[1].to_string(), "fd00::2/128");
  EXPECT_EQ(laptop.persistent_keepalive, 25);
  EXPECT_TRUE(laptop.has_preshared_key);
  EXPECT_EQ(laptop.line, 10u);

  const auto& office = i.peers[1];
  EXPECT_EQ(office.public_key.to_base64(), kOffice);  // lowercase key name
  EXPECT_EQ(office.name, "office");
  EXPECT_EQ(office.endpoint->host(), "2001:db8::1");
  EXPECT_EQ(office.endpoint->to_string(), "[2001:db8::1]:51820");
  EXPECT_EQ(office.allowed_ips.size(), 2u);
  EXPECT_FALSE(office.has_preshared_key);

  const auto& phone = i.peers[2];
  EXPECT_EQ(phone.public_key.to_base64(), kPhone);  // "[peer]" header
  EXPECT_EQ(phone.name, "phone");
  EXPECT_FALSE(phone.endpoint.has_value());
  EXPECT_EQ(phone.persistent_keepalive, 0);
}

// The endpoint manager's own client file: a /24 and a /64 written with the peer's host address,
// the usual shape of hand-written and generated client configs.
TEST(WgQuickParser, HostBitsAndDnsAreKept) {
  auto r = parse(std::string("[Interface]\nAddress = 172.25.1.2/24, fd08:5771:2371::2/64\n"
                             "DNS = 172.25.1.1, fd08:5771:2371::1, corp.example, 2001:db8::zz\n"
                             "[Peer]\nPublicKey = ") +
                 kSpare +
                 "\nAllowedIPs = 172.25.1.1/24,fd08:5771:2371::1/64\n"
                 "Endpoint = vpn.example.net:51820\nPersistentKeepalive = 20\n");
  EXPECT_TRUE(r.diagnostics.empty()) << all_messages(r);
  ASSERT_EQ(r.interface.dns.size(), 2u);  // names are search domains; a bad address is neither
  EXPECT_EQ(r.interface.dns[0].address_string(), "172.25.1.1");
  EXPECT_EQ(r.interface.dns[0].port(), 0);
  EXPECT_EQ(r.interface.dns[1].address_string(), "fd08:5771:2371::1");
  ASSERT_EQ(r.interface.peers.size(), 1u);
  ASSERT_EQ(r.interface.peers[0].allowed_ips.size(), 2u);
  EXPECT_EQ(r.interface.peers[0].allowed_ips[0].to_string(), "172.25.1.1/24");
  EXPECT_EQ(r.interface.peers[0].allowed_ips[1].to_string(), "fd08:5771:2371::1/64");
}

TEST(WgQuickParser, FindPeerByKeyAfterParsingAndByHand) {
  auto r = parse(std::string("[Peer]\nPublicKey = ") + kSpare + "\n[Peer]\nPublicKey = " + kLaptop +
                 "\n[Peer]\nPublicKey = " + kPhone + "\n[Peer]\nPublicKey = " + kLaptop + "\n");
  ASSERT_EQ(r.interface.peers.size(), 3u);
  ASSERT_EQ(r.interface.by_key.size(), 3u);  // the index: binary search
  for (const char* k : {kSpare, kLaptop, kPhone}) {
    const WgQuickPeer* p = r.interface.find_peer(*PublicKey::from_base64(k));
    ASSERT_NE(p, nullptr) << k;
    EXPECT_EQ(p->public_key.to_base64(), k);
  }
  EXPECT_EQ(r.interface.find_peer(*PublicKey::from_base64(kOffice)), nullptr);
  ASSERT_EQ(r.diagnostics.size(), 1u);  // the repeated key, naming the first one's line
  EXPECT_NE(r.diagnostics[0].message.find("repeats the peer at line 3"), std::string::npos)
      << r.diagnostics[0].message;
  WgQuickInterface by_hand;  // no index: a linear search
  by_hand.peers = r.interface.peers;
  EXPECT_NE(by_hand.find_peer(*PublicKey::from_base64(kPhone)), nullptr);
  EXPECT_EQ(by_hand.find_peer(*PublicKey::from_base64(kOffice)), nullptr);
}

TEST(WgQuickParser, CrlfFixture) {
  auto r = parse(testing::read_fixture("tests/fixtures/config/wg1_crlf.conf"));
  EXPECT_TRUE(r.diagnostics.empty()) << all_messages(r);
  EXPECT_EQ(r.interface.listen_port, 51821);
  ASSERT_EQ(r.interface.peers.size(), 1u);
  EXPECT_EQ(r.interface.peers[0].name, "crlf peer");
  EXPECT_EQ(r.interface.peers[0].endpoint->to_string(), "192.0.2.9:51820");
}

TEST(WgQuickParser, InlineCommentsAndWhitespaceAsWg) {
  auto r = parse(std::string("\xEF\xBB\xBF[ Peer ]#c\nPublic Key = ") + kSpare +
                 "#comment\nAllowedIPs=10.0.0.9/32,#rest\nEndpoint = host.example : 51820 # x\n");
  EXPECT_TRUE(r.diagnostics.empty()) << all_messages(r);
  ASSERT_EQ(r.interface.peers.size(), 1u);
  EXPECT_EQ(r.interface.peers[0].public_key.to_base64(), kSpare);
  EXPECT_EQ(r.interface.peers[0].allowed_ips.size(), 1u);
  EXPECT_EQ(r.interface.peers[0].endpoint->to_string(), "host.example:51820");
}

TEST(WgQuickParser, EndpointForms) {
  auto one = [](std::string_view ep) {
    return parse(std::string("[Peer]\nPublicKey = ") + kSpare + "\nEndpoint = " + std::string(ep) +
                 "\n");
  };
  EXPECT_EQ(one("[2001:db8::1]:51820").interface.peers[0].endpoint->host(), "2001:db8::1");
  EXPECT_EQ(one("vpn.example.org:443").interface.peers[0].endpoint->host(), "vpn.example.org");
  EXPECT_EQ(one("[fe80::1%eth0]:51820").interface.peers[0].endpoint->host(), "fe80::1%eth0");
  // wg(8) splits an unbracketed endpoint at the last ':'.
  auto bare = one("2001:db8::7:51820");
  ASSERT_EQ(bare.interface.peers.size(), 1u) << all_messages(bare);
  EXPECT_EQ(bare.interface.peers[0].endpoint->to_string(), "[2001:db8::7]:51820");
}

TEST(WgQuickParser, BadPeersAreSkippedOthersKept) {
  auto r = parse(std::string("[Interface]\nListenPort = 1\n") +
                 "[Peer]\nPublicKey = not-a-key\nAllowedIPs = 10.0.0.1/32\n"  // 3
                 "[Peer]\nAllowedIPs = 10.0.0.2/32\n"                         // 6
                 "[Peer]\nPublicKey = " +
                 kLaptop +
                 "\nEndpoint = host:99999\n"  // 8
                 "[Peer]\nPublicKey = " +
                 kOffice +
                 "\n"  // 11
                 "[Peer]\nPublicKey = " +
                 kOffice + "\n");  // 13
  ASSERT_EQ(r.interface.peers.size(), 1u);
  EXPECT_EQ(r.interface.peers[0].public_key.to_base64(), kOffice);
  EXPECT_EQ(r.interface.peers[0].line, 11u);
  ASSERT_EQ(r.diagnostics.size(), 4u) << all_messages(r);
  for (const auto& d : r.diagnostics) {
    EXPECT_EQ(d.severity, Severity::kError);
    EXPECT_EQ(d.file, "wg9.conf");
  }
  EXPECT_EQ(r.diagnostics[0].line, 4u);
  EXPECT_NE(r.diagnostics[0].message.find("invalid PublicKey 'not-a-key'"), std::string::npos);
  EXPECT_NE(r.diagnostics[0].message.find("(line 3) is skipped"), std::string::npos);
  EXPECT_EQ(r.diagnostics[1].line, 6u);
  EXPECT_NE(r.diagnostics[1].message.find("without PublicKey"), std::string::npos);
  EXPECT_EQ(r.diagnostics[2].line, 10u);
  EXPECT_NE(r.diagnostics[2].message.find("invalid Endpoint 'host:99999'"), std::string::npos);
  EXPECT_EQ(r.diagnostics[3].line, 13u);
  EXPECT_NE(r.diagnostics[3].message.find("repeats the peer at line 11"), std::string::npos);
}

TEST(WgQuickParser, SoftProblemsAreWarnings) {
  auto r = parse(std::string("ListenPort = 5\n[Interface]\nListenPort = 99999\nAddress = x\n"
                             "Bogus = 1\n[Wat]\nfoo = 1\n[Peer]\nPublicKey = ") +
                 kLaptop +
                 "\nAllowedIPs = 10.0.0.1/33, 10.0.0.2\nPersistentKeepalive = -1\n"
                 "Endpiont = a:1\nnonsense\n");
  ASSERT_EQ(r.interface.peers.size(), 1u);
  EXPECT_EQ(r.interface.peers[0].allowed_ips.size(), 1u);
  EXPECT_EQ(r.interface.peers[0].allowed_ips[0].to_string(), "10.0.0.2/32");
  EXPECT_FALSE(r.interface.listen_port.has_value());
  for (const auto& d : r.diagnostics) EXPECT_EQ(d.severity, Severity::kWarning) << d.message;
  EXPECT_EQ(r.diagnostics.size(), 9u) << all_messages(r);
  EXPECT_NE(all_messages(r).find("unknown key 'Endpiont' in [Peer]"), std::string::npos);
}

TEST(WgQuickParser, NoSecretInAnyDiagnostic) {
  const std::string text =
      std::string("[Interface]\n") + "PrivateKey " + kPrivate + "\n" +  // no '=' between
      "PrivateKey: " + kPrivate + "\n" + kPrivate + "\n" +              // a bare key line
      "PrivateKey = " + kPrivate + "junk\n" +                           // ignored, never checked
      "[Peer]\nPublicKey = " + kLaptop + "\n" + "PresharedKey = " + kPreshared +
      "x\n" +                                                                    // malformed
      "PresharedKey " + kPreshared + "\n" + "PrivateKey = " + kPrivate + "\n" +  // wrong section
      "PresharedKey\n" + "[Interface] PrivateKey = " + kPrivate + "\n" +  // on the header's line
      "[" + kPrivate + "\n";
  auto r = parse(text);
  ASSERT_FALSE(r.diagnostics.empty());
  const std::string all = all_messages(r);
  // Neither the key nor a large piece of it may appear.
  for (std::string_view secret : {std::string_view(kPrivate), std::string_view(kPreshared)}) {
    EXPECT_EQ(all.find(secret.substr(0, 12)), std::string::npos) << all;
    EXPECT_EQ(all.find(secret.substr(20, 12)), std::string::npos) << all;
  }
  EXPECT_NE(all.find("malformed PresharedKey (value not shown)"), std::string::npos) << all;
  ASSERT_EQ(r.interface.peers.size(), 1u);
  EXPECT_FALSE(r.interface.peers[0].has_preshared_key);
}

TEST(WgQuickParser, NameComments) {
  auto r = parse(std::string("# Name: alpha\n# created 2024\n[Peer]\nPublicKey = ") + kLaptop +
                 "\n# Name = beta-in-section\n"  // belongs to the peer above, not the next
                 "[Peer]\nPublicKey = " +
                 kOffice +
                 "\n### begin gamma ###\n[Peer]\n# friendly_name: delta\nPublicKey = " + kPhone +
                 "\n### end gamma ###\n\n# Name: lost\n\n[Peer]\nPublicKey = " + kSpare + "\n");
  EXPECT_TRUE(r.diagnostics.empty()) << all_messages(r);
  ASSERT_EQ(r.interface.peers.size(), 4u);
  EXPECT_EQ(r.interface.peers[0].name, "beta-in-section");  // in-section wins over above
  EXPECT_FALSE(r.interface.peers[1].name.has_value());
  EXPECT_EQ(r.interface.peers[2].name, "delta");
  EXPECT_FALSE(r.interface.peers[3].name.has_value());  // a blank line separates it

  auto pivpn = parse(std::string("### begin gamma ###\n[Peer]\nPublicKey = ") + kPhone + "\n");
  EXPECT_EQ(pivpn.interface.peers[0].name, "gamma");
  auto above_eq = parse(std::string("[Interface]\n# Name = first\n[Peer]\nPublicKey = ") + kPhone);
  EXPECT_EQ(above_eq.interface.peers[0].name, "first");
}

TEST(WgQuickParser, UnusableNameIsWarned) {
  auto r = parse(std::string("[Peer]\n# Name = bad\x1b[2Jname\nPublicKey = ") + kPhone + "\n");
  ASSERT_EQ(r.interface.peers.size(), 1u);
  EXPECT_FALSE(r.interface.peers[0].name.has_value());
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].severity, Severity::kWarning);
  EXPECT_EQ(r.diagnostics[0].message.find('\x1b'), std::string::npos);
}

TEST(WgQuickParser, EmptyAndCommentOnly) {
  EXPECT_TRUE(parse("").interface.peers.empty());
  EXPECT_TRUE(parse("").diagnostics.empty());
  EXPECT_TRUE(parse("# nothing\n\n").diagnostics.empty());
}

TEST(WgQuickParser, InterfaceNames) {
  EXPECT_EQ(interface_name_from_path("/etc/wireguard/wg0.conf"), "wg0");
  EXPECT_EQ(interface_name_from_path("wg-lab.conf"), "wg-lab");
  EXPECT_FALSE(interface_name_from_path("/etc/wireguard/.conf"));
  EXPECT_FALSE(interface_name_from_path("a-name-that-is-too-long.conf"));
  EXPECT_FALSE(interface_name_from_path("wg 0.conf"));
  EXPECT_FALSE(interface_name_from_path("wg0.conf.bak"));
  EXPECT_FALSE(is_valid_interface_name(".."));
}

}  // namespace
}  // namespace wgtrack::config
