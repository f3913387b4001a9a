#include "sinks/json/json_api.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cctype>

#include "config/config.h"
#include "sinks/json/json_values.h"
#include "snapshot/snapshot_builder.h"
#include "support/fixtures.h"
#include "support/golden.h"
#include "support/sample_snapshot.h"
#include "wireguard/uapi_codec.h"

namespace wgtrack {
namespace {

using namespace std::chrono_literals;
using testing::expect_golden;

const std::string kDir = "tests/fixtures/json/";
const std::string kUpKey = "rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=";
const std::string kDownKey = "hJpMO8QqkDRZpq3EE+WGZLFJqZkziL/z4pZprap4U1k=";
const std::string kNeverKey = "MHtodLMC7vYfiweAbRlHSfm9XHCWnT9s0/VfJj2WnEs=";

// The shared sample plus what only the API shows: reasons, rates, endpoint recovery.
Snapshot api_snapshot() {
  Snapshot s = testing::sample_snapshot();
  s.taken_at_mono = MonoTime(5000s);
  auto& wg0 = s.interfaces[0].peers;  // never, down, up
  wg0[0].reason = "daemon started";
  wg0[1].reason = "3 probes failed";
  wg0[1].rx_rate = 0.0;
  wg0[1].tx_rate = 12.5;
  wg0[1].recovery = RecoverySnapshot{
      .phase = "confirming",
      .candidates = {{.endpoint = *Endpoint::parse("[2001:db8::9]:51821"),
                      .host = "vpn.example.net",
                      .probe = "reachable",
                      .current = true},
                     {.endpoint = *Endpoint::parse("203.0.113.9:51821"),
                      .host = "vpn.example.net",
                      .probe = "unreachable",
                      .failures = 2,
                      .backoff_until = s.taken_at + 30s}},
      .hosts = {{.host = "vpn.example.net", .addresses = 2},
                {.host = "old.example.net", .error = "NXDOMAIN", .permanent = true}},
      .last_switch = SwitchSnapshot{.from = *Endpoint::parse("[fe80::2%eth1]:51821"),
                                    .to = *Endpoint::parse("[2001:db8::9]:51821"),
                                    .reason = "failover",
                                    .at = s.taken_at - 2s - 500ms,
                                    .outcome = "pending"}};
  wg0[2].reason = "handshake completed";
  wg0[2].rx_rate = 1234.5678;
  wg0[2].tx_rate = 1.0 / 3.0;
  return s;
}

JsonApiOptions options() {
  JsonApiOptions o;
  o.version = "0.1.0";
  o.uptime = 3723s + 900ms;
  return o;
}

boost::json::object parse(const std::string& text) {
  EXPECT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  boost::json::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  EXPECT_FALSE(ec) << ec.message() << "\n" << text;
  return v.is_object() ? v.as_object() : boost::json::object();
}

const boost::json::object& find_peer(const boost::json::object& status, const std::string& key) {
  for (const auto& i : status.at("interfaces").as_array()) {
    for (const auto& p : i.at("peers").as_array()) {
      if (p.at("public_key").as_string() == key) return p.as_object();
    }
  }
  static const boost::json::object none;
  ADD_FAILURE() << "no peer " << key;
  return none;
}

TEST(JsonApiTest, StatusGolden) {
  expect_golden(kDir + "status.json", render_status_json(api_snapshot(), options()));
}

TEST(JsonApiTest, EmptySnapshotGolden) {
  expect_golden(kDir + "empty.json", render_status_json(Snapshot{}));
}

TEST(JsonApiTest, InterfaceAndPeerGolden) {
  const Snapshot s = api_snapshot();
  expect_golden(kDir + "interface_wgu1.json", render_interface_json(s, "wgu1").value_or(""));
  expect_golden(kDir + "peer_down.json", render_peer_json(s, kDownKey).value_or(""));
}

// Every peer of the snapshot comes back from a real JSON parser with its key fields intact.
TEST(JsonApiTest, StatusParsesAndRoundTripsEveryPeer) {
  const Snapshot s = api_snapshot();
  const boost::json::object doc = parse(render_status_json(s, options()));
  EXPECT_EQ(doc.at("taken_at").as_string(), "2025-11-22T00:25:23.000Z");
  EXPECT_EQ(doc.at("taken_at_unix").as_int64(), 1763771123);
  const auto& daemon = doc.at("daemon").as_object();
  EXPECT_EQ(daemon.at("version").as_string(), "0.1.0");
  EXPECT_EQ(daemon.at("uptime_seconds").as_int64(), 3723);
  EXPECT_EQ(daemon.at("cycles").as_int64(), 100);
  EXPECT_DOUBLE_EQ(daemon.at("last_cycle_duration_ms").to_number<double>(), 1.234567);
  EXPECT_EQ(daemon.at("backend_errors").at("permission_denied").as_int64(), 2);
  EXPECT_EQ(daemon.at("events").at("status_change").as_int64(), 7);

  const auto& interfaces = doc.at("interfaces").as_array();
  ASSERT_EQ(interfaces.size(), s.interfaces.size());
  for (std::size_t k = 0; k < s.interfaces.size(); ++k) {
    const InterfaceSnapshot& want = s.interfaces[k];
    const auto& got = interfaces[k].as_object();
    EXPECT_EQ(got.at("name").as_string(), want.name);
    EXPECT_EQ(got.at("backend").as_string(), to_string(want.backend));
    EXPECT_EQ(got.at("listen_port").as_int64(), want.listen_port);
    EXPECT_EQ(got.at("fwmark").as_int64(), want.fwmark);
    EXPECT_EQ(got.at("peer_count").as_int64(), static_cast<std::int64_t>(want.peers.size()));
    for (PeerHealth h : kSnapshotStates) {
      EXPECT_EQ(got.at("peer_counts").at(to_string(h)).as_int64(),
                static_cast<std::int64_t>(want.count(h)));
    }
    const auto& peers = got.at("peers").as_array();
    ASSERT_EQ(peers.size(), want.peers.size());
    for (std::size_t n = 0; n < want.peers.size(); ++n) {
      const PeerSnapshot& w = want.peers[n];
      const auto& p = peers[n].as_object();
      SCOPED_TRACE(w.key);
      EXPECT_EQ(p.at("public_key").as_string(), w.key);
      if (w.name.empty())
        EXPECT_TRUE(p.at("name").is_null());
      else
        EXPECT_EQ(p.at("name").as_string(), w.name);  // the hostile one too
      EXPECT_EQ(p.at("state").as_string(), to_string(w.health));
      EXPECT_EQ(p.at("up").as_bool(), counts_as_up(w.health));
      EXPECT_EQ(p.at("state_since_unix").as_int64(), unix_seconds(w.state_since));
      if (w.endpoint)
        EXPECT_EQ(p.at("endpoint").as_string(), w.endpoint->to_string());
      else
        EXPECT_TRUE(p.at("endpoint").is_null());
      const auto& ips = p.at("allowed_ips").as_array();
      ASSERT_EQ(ips.size(), w.allowed_ips.size());
      for (std::size_t i = 0; i < ips.size(); ++i)
        EXPECT_EQ(ips[i].as_string(), w.allowed_ips[i].to_string());
      if (w.last_handshake) {
        EXPECT_EQ(p.at("last_handshake_unix").as_int64(), unix_seconds(*w.last_handshake));
        EXPECT_EQ(p.at("handshake_age_seconds").as_int64(),
                  std::chrono::floor<std::chrono::seconds>(*w.handshake_age).count());
      } else {
        EXPECT_TRUE(p.at("last_handshake").is_null());
        EXPECT_TRUE(p.at("last_handshake_unix").is_null());
        EXPECT_TRUE(p.at("handshake_age_seconds").is_null());
      }
      EXPECT_EQ(p.at("rx_bytes").to_number<std::uint64_t>(), w.rx_bytes);
      EXPECT_EQ(p.at("tx_bytes").to_number<std::uint64_t>(), w.tx_bytes);
      if (w.tx_rate)
        EXPECT_NEAR(p.at("tx_bytes_per_second").to_number<double>(), *w.tx_rate, 1e-3);
      else
        EXPECT_TRUE(p.at("tx_bytes_per_second").is_null());
      if (w.persistent_keepalive)
        EXPECT_EQ(p.at("persistent_keepalive").as_int64(), 25);
      else
        EXPECT_TRUE(p.at("persistent_keepalive").is_null());
      EXPECT_EQ(p.at("probes").at("sent").to_number<std::uint64_t>(), w.probes.sent);
      EXPECT_EQ(p.at("probes").at("lost").to_number<std::uint64_t>(), w.probes.lost);
      for (const ReasonCount& c : w.endpoint_changes)
        EXPECT_EQ(p.at("endpoint_changes").at(c.reason).to_number<std::uint64_t>(), c.count);
      EXPECT_EQ(p.at("recovery").is_null(), !w.recovery.has_value());
    }
  }
}

TEST(JsonApiTest, ValuesThatNeedConversion) {
  const boost::json::object doc = parse(render_status_json(api_snapshot(), options()));
  const auto& up = find_peer(doc, kUpKey);
  EXPECT_EQ(up.at("last_handshake").as_string(), "2025-11-22T00:23:20.250Z");
  EXPECT_EQ(up.at("handshake_age_seconds").as_int64(), 122);  // 122.75 s: whole seconds
  EXPECT_DOUBLE_EQ(up.at("probes").at("last_rtt_ms").to_number<double>(), 1.5);
  EXPECT_DOUBLE_EQ(up.at("rx_bytes_per_second").to_number<double>(), 1234.568);
  EXPECT_EQ(up.at("reason").as_string(), "handshake completed");
  const auto& never = find_peer(doc, kNeverKey);
  EXPECT_TRUE(never.at("probes").at("last_rtt_ms").is_null());
  EXPECT_TRUE(never.at("rx_bytes_per_second").is_null());
  const auto& down = find_peer(doc, kDownKey);
  const auto& recovery = down.at("recovery").as_object();
  EXPECT_EQ(recovery.at("phase").as_string(), "confirming");
  EXPECT_EQ(recovery.at("candidates").as_array()[1].at("backoff_until").as_string(),
            "2025-11-22T00:25:53.000Z");
  EXPECT_EQ(recovery.at("last_switch").at("from").as_string(), "[fe80::2%eth1]:51821");
  EXPECT_EQ(recovery.at("hosts").as_array()[1].at("error").as_string(), "NXDOMAIN");
  EXPECT_TRUE(recovery.at("hosts").as_array()[0].at("error").is_null());
  EXPECT_EQ(recovery.at("last_switch").at("at_unix").as_int64(), 1763771120);
  // No uptime known: null, not 0.
  EXPECT_TRUE(
      parse(render_status_json(api_snapshot())).at("daemon").at("uptime_seconds").is_null());
}

TEST(JsonApiTest, InterfaceLookup) {
  const Snapshot s = api_snapshot();
  const auto doc = parse(*render_interface_json(s, "wg0"));
  EXPECT_EQ(doc.at("interface").at("name").as_string(), "wg0");
  EXPECT_EQ(doc.at("interface").at("peers").as_array().size(), 3u);
  EXPECT_EQ(doc.at("taken_at_unix").as_int64(), 1763771123);
  EXPECT_FALSE(render_interface_json(s, "wg9").has_value());
  EXPECT_FALSE(render_interface_json(s, "").has_value());
  EXPECT_FALSE(render_interface_json(s, "wg").has_value());  // a prefix is not a name
}

TEST(JsonApiTest, PeerLookupAcceptsBase64UrlSafeBase64AndHex) {
  const Snapshot s = api_snapshot();
  const PublicKey key = *PublicKey::from_base64(kDownKey);
  std::string url_safe = kDownKey;
  for (char& c : url_safe) c = c == '+' ? '-' : c == '/' ? '_' : c;
  ASSERT_NE(url_safe, kDownKey);
  std::string upper_hex = key.to_hex();
  for (char& c : upper_hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const std::string& text : {kDownKey, url_safe, key.to_hex(), upper_hex}) {
    SCOPED_TRACE(text);
    auto json = render_peer_json(s, text);
    ASSERT_TRUE(json.has_value());
    const auto doc = parse(*json);
    EXPECT_EQ(doc.at("interface").as_string(), "wg0");
    EXPECT_EQ(doc.at("peer").at("public_key").as_string(), kDownKey);
    EXPECT_EQ(doc.at("peer").at("name").as_string(), "branch office");
  }
  EXPECT_FALSE(render_peer_json(s, kDownKey, "wgu1").has_value());  // not on that interface
  EXPECT_TRUE(render_peer_json(s, kDownKey, "wg0").has_value());
  // Well-formed but unknown, and malformed.
  EXPECT_FALSE(render_peer_json(s, PublicKey().to_base64()).has_value());
  for (const std::string& bad :
       {std::string(), kDownKey.substr(0, 43), kDownKey + "=", std::string("not a key"),
        std::string(64, 'g'), key.to_hex().substr(1), url_safe.substr(0, 40) + "+_-/"}) {
    EXPECT_FALSE(parse_peer_key(bad).has_value()) << bad;
    EXPECT_FALSE(render_peer_json(s, bad).has_value()) << bad;
  }
}

TEST(JsonApiTest, SameKeyOnTwoInterfacesFirstByNameUnlessChosen) {
  Snapshot s = api_snapshot();
  PeerSnapshot copy = s.interfaces[0].peers[2];
  copy.name = "other side";
  s.interfaces[1].peers.push_back(copy);  // "rtgr..." sorts last on wgu1 too
  EXPECT_EQ(parse(*render_peer_json(s, kUpKey)).at("interface").as_string(), "wg0");
  const auto doc = parse(*render_peer_json(s, kUpKey, "wgu1"));
  EXPECT_EQ(doc.at("interface").as_string(), "wgu1");
  EXPECT_EQ(doc.at("peer").at("name").as_string(), "other side");
}

// The whole path from a backend's reply that carries a private key and a preshared key to
// every API document: neither secret (in any text form) may come out.
TEST(JsonApiTest, NoSecretFromTheBackendReachesAnyDocument) {
  const std::string reply = testing::read_fixture("tests/fixtures/uapi/get_reply.txt");
  const std::string private_hex =
      "18577a7fbaaa47a60416259eb5433b959320c9257be41929b94c92fbcc1baf76";
  const std::string preshared_hex =
      "32781cbfda4b5b76b86ad476bff95e502f88fc991212ebdf1fc57497fde92e20";
  ASSERT_NE(reply.find(private_hex), std::string::npos) << "the fixture lost its secret";
  ASSERT_NE(reply.find(preshared_hex), std::string::npos) << "the fixture lost its secret";
  auto device = decode_uapi_get(reply, "wg0");
  ASSERT_TRUE(device.ok()) << device.error().message;

  auto parsed = config::parse_config("[general]\ncycle_time = 1\n", "test.conf");
  ASSERT_TRUE(parsed.ok());
  Monitor monitor(std::make_shared<const config::Config>(std::move(parsed.config)));
  SelfMetrics self;
  CycleOutput out;
  const MonoTime mono(1000s);
  const WallTime wall(1763771123s);
  monitor.run_cycle({{"wg0", *device}}, mono, wall, out);
  const Snapshot s = build_snapshot(monitor, self, mono, wall);
  ASSERT_FALSE(s.interfaces.empty());
  ASSERT_FALSE(s.interfaces[0].peers.empty());

  std::string all = render_status_json(s, options());
  all += render_interface_json(s, "wg0").value_or("");
  for (const PeerSnapshot& p : s.interfaces[0].peers)
    all += render_peer_json(s, p.key).value_or("");
  ASSERT_NE(all.find(s.interfaces[0].peers[0].key), std::string::npos);  // it did render
  for (const std::string& hex : {private_hex, preshared_hex}) {
    PublicKey::Bytes bytes{};
    ASSERT_TRUE(PublicKey::parse_hex(hex, bytes));
    const std::string b64 = PublicKey(bytes).to_base64();
    for (const std::string& form : {hex, b64}) {
      EXPECT_EQ(all.find(form.substr(0, 12)), std::string::npos) << form;
      EXPECT_EQ(all.find(form.substr(20, 12)), std::string::npos) << form;
    }
  }
}

}  // namespace
}  // namespace wgtrack
