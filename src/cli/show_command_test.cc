#include "cli/show_command.h"

#include <gtest/gtest.h>

#include <sstream>

#include "config/config.h"
#include "config/wgquick_parser.h"
#include "support/fake_backend.h"
#include "support/sample_devices.h"

namespace wgtrack {
namespace {

using testing::FakeBackend;

struct ShowCommandTest : ::testing::Test {
  FakeBackend backend;
  std::ostringstream out, err;
  int run(ShowOptions o) { return run_show(backend, o, testing::sample_now(), out, err); }
};

TEST_F(ShowCommandTest, ShowsAllInterfaces) {
  for (auto& d : testing::sample_devices()) backend.put(d);
  EXPECT_EQ(run({}), 0);
  EXPECT_NE(out.str().find("interface: wg0"), std::string::npos);
  EXPECT_NE(out.str().find("interface: wgu1"), std::string::npos);
  EXPECT_EQ(err.str(), "");
}

TEST_F(ShowCommandTest, OneInterfaceAsJson) {
  for (auto& d : testing::sample_devices()) backend.put(d);
  EXPECT_EQ(run({std::string("wgu1"), true}), 0);
  EXPECT_EQ(out.str(),
            "{\"interfaces\":[{\"name\":\"wgu1\",\"backend\":\"kernel\",\"public_key\":null,"
            "\"listen_port\":0,\"fwmark\":0,\"peers\":[]}]}\n");
}

TEST_F(ShowCommandTest, MissingInterfaceIsAnErrorNamingIt) {
  EXPECT_EQ(run({std::string("wg7"), false}), 1);
  EXPECT_NE(err.str().find("wg7"), std::string::npos);
  EXPECT_NE(err.str().find("no such device"), std::string::npos);
}

TEST_F(ShowCommandTest, PermissionProblemNamesTheCapability) {
  backend.put(testing::sample_devices()[0]);
  backend.fail_next(Error(ErrorCode::kPermissionDenied, "netlink: Operation not permitted"));
  EXPECT_EQ(run({}), 1);
  EXPECT_NE(err.str().find("CAP_NET_ADMIN"), std::string::npos);
}

TEST_F(ShowCommandTest, NoInterfacesIsSaidButNotAnError) {
  EXPECT_EQ(run({}), 0);
  EXPECT_NE(err.str().find("no WireGuard interfaces"), std::string::npos);
  std::ostringstream o2, e2;
  EXPECT_EQ(run_show(backend, {std::nullopt, true}, testing::sample_now(), o2, e2), 0);
  EXPECT_EQ(o2.str(), "{\"interfaces\":[]}\n");
}

// With a configuration, each peer says where wgtrack's probes go: here the host address its
// wg-quick file writes (the device holds only the /24), and none for a /16 nobody names.
TEST_F(ShowCommandTest, WithAConfigurationEachPeerShowsItsProbeTarget) {
  const PublicKey hub = *PublicKey::from_base64("rtgrUqCxgnQulBKXP4b/ZVW3KXHo2Q01lC7MnPPlNGI=");
  const PublicKey lan = *PublicKey::from_base64("hJpMO8QqkDRZpq3EE+WGZLFJqZkziL/z4pZprap4U1k=");
  Device d;
  d.name = "wg0";
  Peer a;
  a.public_key = hub;
  a.allowed_ips = {*IpPrefix::parse("203.0.113.0/24")};
  Peer b;
  b.public_key = lan;
  b.allowed_ips = {*IpPrefix::parse("10.7.0.0/16")};
  d.peers = {a, b};
  backend.put(d);
  auto loaded = config::parse_config("[general]\n", "w.conf");
  auto file = config::parse_wgquick(
      "[Peer]\nPublicKey = " + hub.to_base64() + "\nAllowedIPs = 203.0.113.1/24\n", "wg0.conf",
      "wg0");
  loaded.config.wgquick = {file.interface};
  ShowOptions o;
  o.config = &loaded.config;
  EXPECT_EQ(run(o), 0);
  EXPECT_NE(out.str().find("  probe target: 203.0.113.1 (host address written in the wg-quick "
                           "AllowedIPs)\n"),
            std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("  probe target: none (no /32"), std::string::npos) << out.str();
  std::ostringstream json, e2;
  o.json = true;
  EXPECT_EQ(run_show(backend, o, testing::sample_now(), json, e2), 0);
  EXPECT_NE(json.str().find("\"probe_target\":{\"address\":\"203.0.113.1\",\"source\":"
                            "\"wg_quick_address\"}"),
            std::string::npos)
      << json.str();
  EXPECT_NE(json.str().find("\"probe_target\":{\"address\":null,\"source\":\"none\"}"),
            std::string::npos);
  // Without one, the view is wg(8)'s.
  std::ostringstream plain, e3;
  EXPECT_EQ(run_show(backend, {}, testing::sample_now(), plain, e3), 0);
  EXPECT_EQ(plain.str().find("probe target"), std::string::npos);
}

}  // namespace
}  // namespace wgtrack
