#include "cli/show_command.h"

#include <gtest/gtest.h>

#include <sstream>

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

}  // namespace
}  // namespace wgtrack
