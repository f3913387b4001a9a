// KernelBackend against the host kernel. The development hosts have no wireguard module (see
// kernel-lab notes): these tests pin the degraded behaviour - clean errors, no crash, no hang.
// Real kernel WireGuard is exercised by the qemu kernel lab (tests/kernel).
#include "wireguard/kernel_backend.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

namespace wgtrack {
namespace {

using namespace std::chrono_literals;

TEST(NetlinkKernelBackend, ListsInterfacesOnTheHost) {
  KernelBackend backend(2s);
  auto links = backend.list_interfaces();
  ASSERT_TRUE(links.ok()) << links.error().message;
  for (const auto& l : *links) {
    EXPECT_EQ(l.backend, BackendKind::kKernel);
    EXPECT_FALSE(l.name.empty());
  }
  EXPECT_TRUE(std::is_sorted(links->begin(), links->end(),
                             [](const auto& a, const auto& b) { return a.name < b.name; }));
}

TEST(NetlinkKernelBackend, MissingDeviceIsACleanError) {
  KernelBackend backend(2s);
  const auto start = std::chrono::steady_clock::now();
  auto dev = backend.get_device("wgt-nonexistent");
  ASSERT_FALSE(dev.ok());
  // No module: kUnsupported; module but no such link: kNotFound; unprivileged: kPermissionDenied.
  const auto code = dev.error().code;
  EXPECT_TRUE(code == ErrorCode::kUnsupported || code == ErrorCode::kNotFound ||
              code == ErrorCode::kPermissionDenied)
      << to_string(code) << ": " << dev.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  // Asking again gives the same answer (a failed resolution is not cached as a success).
  auto again = backend.get_device("wgt-nonexistent");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, code);
}

TEST(NetlinkKernelBackend, UpdateOnMissingDeviceIsACleanError) {
  KernelBackend backend(2s);
  PeerEndpointUpdate up{PublicKey{}, *Endpoint::parse("192.0.2.1:51820")};
  auto r = backend.update_peer_endpoint("wgt-nonexistent", up);
  EXPECT_FALSE(r.ok());
  // An unknown zone is reported before anything is sent.
  up.endpoint = *Endpoint::parse("[fe80::1%wgt-nozone]:51820");
  r = backend.update_peer_endpoint("wgt-nonexistent", up);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_NE(r.error().message.find("wgt-nozone"), std::string::npos);
}

TEST(NetlinkKernelBackend, InvalidNameIsInvalidInput) {
  KernelBackend backend(2s);
  auto dev = backend.get_device("a-name-longer-than-15");
  ASSERT_FALSE(dev.ok());
  EXPECT_EQ(dev.error().code, ErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace wgtrack
