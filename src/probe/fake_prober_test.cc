// The FakeProber keeps the real prober's contract: never completes inside probe().
#include "support/fake_prober.h"

#include <gtest/gtest.h>

namespace wgtrack {
namespace {

using testing::FakeProber;

Endpoint addr(const char* text) { return Endpoint::parse_address(text, 0).value(); }

TEST(FakeProber, RecordsScriptsAndDeliversLater) {
  FakeProber prober;
  prober.set_result(addr("10.0.0.3"), FakeProber::lost());
  prober.push_result(FakeProber::failed(ErrorCode::kPermissionDenied));
  std::vector<ProbeResult> got;
  auto record = [&got](const ProbeResult& r) { got.push_back(r); };
  prober.probe({"wg0", addr("10.0.0.2"), std::chrono::milliseconds(500)}, record);
  prober.probe({"wg0", addr("10.0.0.2"), std::chrono::milliseconds(500)}, record);
  prober.probe({"wg1", addr("10.0.0.3"), std::chrono::milliseconds(500)}, record);
  EXPECT_TRUE(got.empty());
  ASSERT_EQ(prober.requests.size(), 3u);
  EXPECT_EQ(prober.requests[2].interface, "wg1");
  EXPECT_EQ(prober.deliver(), 3u);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].error->code, ErrorCode::kPermissionDenied);
  EXPECT_FALSE(got[0].lost());
  EXPECT_TRUE(got[1].ok);
  EXPECT_TRUE(got[2].lost());
}

TEST(FakeProber, ForgetCompletesWithNotFound) {
  FakeProber prober;
  std::optional<ProbeResult> got;
  prober.probe({"wg0", addr("fd00::2"), std::chrono::milliseconds(500)},
               [&got](const ProbeResult& r) { got = r; });
  prober.forget("wg0");
  EXPECT_FALSE(got);
  prober.deliver();
  ASSERT_TRUE(got && got->error);
  EXPECT_EQ(got->error->code, ErrorCode::kNotFound);
  EXPECT_EQ(prober.forgotten, std::vector<std::string>{"wg0"});
}

}  // namespace
}  // namespace wgtrack
