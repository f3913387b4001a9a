#include "wireguard/dispatcher.h"

#include <gtest/gtest.h>

#include <set>

#include "support/fake_backend.h"

namespace wgtrack {
namespace {

using testing::FakeBackend;

Device dev(const std::string& name) {
  Device d;
  d.name = name;
  Peer p;
  p.public_key = PublicKey(PublicKey::Bytes{1});
  d.peers.push_back(p);
  return d;
}

struct DispatcherTest : ::testing::Test {
  FakeBackend kernel{BackendKind::kKernel};
  FakeBackend user{BackendKind::kUserspace};
  std::set<std::string> sockets;
  Dispatcher d{kernel, user, [this](std::string_view n) { return sockets.count(std::string(n)) > 0; }};
};

TEST_F(DispatcherTest, SocketPresenceDecidesBackendLikeWg) {
  kernel.put(dev("wg0"));
  user.put(dev("wg1"));
  sockets.insert("wg1");
  EXPECT_EQ(d.get_device("wg0")->backend, BackendKind::kKernel);
  EXPECT_EQ(d.get_device("wg1")->backend, BackendKind::kUserspace);
  EXPECT_EQ(d.get_device("nope").error().code, ErrorCode::kNotFound);
}

TEST_F(DispatcherTest, ListsBothSortedAndPrefersUserspaceOnDuplicates) {
  kernel.put(dev("wgb"));
  kernel.put(dev("wga"));
  user.put(dev("wga"));
  user.put(dev("wgc"));
  auto l = d.list_interfaces();
  ASSERT_TRUE(l.ok());
  ASSERT_EQ(l->size(), 3u);
  EXPECT_EQ((*l)[0], (InterfaceRef{"wga", BackendKind::kUserspace}));
  EXPECT_EQ((*l)[1], (InterfaceRef{"wgb", BackendKind::kKernel}));
  EXPECT_EQ((*l)[2], (InterfaceRef{"wgc", BackendKind::kUserspace}));
}

TEST_F(DispatcherTest, KernelWithoutWireguardIsNotAnError) {
  user.put(dev("wg1"));
  kernel.fail_next(Error(ErrorCode::kUnsupported, "no wireguard module"));
  auto l = d.list_interfaces();
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->size(), 1u);
}

TEST_F(DispatcherTest, NoKernelModuleMeansNotFoundForNonUserspaceNames) {
  kernel.fail_next(Error(ErrorCode::kUnsupported, "kernel has no wireguard module"));
  auto r = d.get_device("wg0");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_NE(r.error().message.find("no wireguard module"), std::string::npos);
}

TEST_F(DispatcherTest, OtherKernelErrorsAreReported) {
  kernel.fail_next(Error(ErrorCode::kPermissionDenied, "EPERM"));
  auto l = d.list_interfaces();
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.error().code, ErrorCode::kPermissionDenied);
}

TEST_F(DispatcherTest, UpdatesGoToTheChosenBackendOnly) {
  kernel.put(dev("wg0"));
  user.put(dev("wg1"));
  sockets.insert("wg1");
  PeerEndpointUpdate u{PublicKey(PublicKey::Bytes{1}), *Endpoint::parse("192.0.2.9:51820")};
  ASSERT_TRUE(d.update_peer_endpoint("wg1", u).ok());
  EXPECT_EQ(user.updates.size(), 1u);
  EXPECT_TRUE(kernel.updates.empty());
  EXPECT_EQ(user.get_device("wg1")->peers[0].endpoint->to_string(), "192.0.2.9:51820");
}

}  // namespace
}  // namespace wgtrack
