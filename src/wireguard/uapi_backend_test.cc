// UapiBackend against an in-process unix socket server: the real socket code, a scripted peer.
#include "wireguard/uapi_backend.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <filesystem>
#include <thread>

#include "support/fixtures.h"

namespace wgtrack {
namespace {

namespace fs = std::filesystem;

class UapiBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/wgtrack-uapi-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    if (server_.joinable()) server_.join();
    if (listen_fd_ >= 0) ::close(listen_fd_);
    fs::remove_all(dir_);
  }

  // Listens on DIR/NAME.sock; the server thread answers one connection with `reply`
  // (after reading the request into `request_`), or never answers if `hang`.
  void serve(const std::string& name, std::string reply, bool hang = false) {
    listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    const std::string path = dir_ + "/" + name + ".sock";
    std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
    ASSERT_EQ(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    ASSERT_EQ(::listen(listen_fd_, 1), 0);
    server_ = std::thread([this, reply = std::move(reply), hang] {
      const int c = ::accept(listen_fd_, nullptr, nullptr);
      if (c < 0) return;
      char buf[4096];
      while (request_.size() < 2 || request_.substr(request_.size() - 2) != "\n\n") {
        const ssize_t n = ::read(c, buf, sizeof buf);
        if (n <= 0) break;
        request_.append(buf, static_cast<std::size_t>(n));
      }
      if (hang) {
        ::read(c, buf, sizeof buf);  // until the client gives up and closes
      } else {
        std::size_t off = 0;  // dribble in small pieces: the client must reassemble
        while (off < reply.size()) {
          const std::size_t n = std::min<std::size_t>(7, reply.size() - off);
          if (::write(c, reply.data() + off, n) <= 0) break;
          off += n;
        }
      }
      ::close(c);
    });
  }

  std::string dir_;
  int listen_fd_ = -1;
  std::thread server_;
  std::string request_;
};

TEST_F(UapiBackendTest, ListsSocketsOnlyAndSorted) {
  serve("wgb", "errno=0\n\n");
  { std::ofstream(dir_ + "/notasocket.sock") << "x"; }
  { std::ofstream(dir_ + "/other.txt") << "x"; }
  UapiBackend b(dir_);
  auto l = b.list_interfaces();
  ASSERT_TRUE(l.ok());
  ASSERT_EQ(l->size(), 1u);
  EXPECT_EQ((*l)[0].name, "wgb");
  EXPECT_TRUE(b.has_socket("wgb"));
  EXPECT_FALSE(b.has_socket("notasocket"));
  EXPECT_FALSE(b.has_socket("../etc"));
  ::shutdown(listen_fd_, SHUT_RDWR);
}

TEST_F(UapiBackendTest, ThisNamespaceScopeSkipsSocketsOfInterfacesThatAreNotHere) {
  // A socket named like an interface that does not exist here (another namespace's), and one
  // named like an interface that exists in every namespace: lo.
  serve("wgelsewhere0", "errno=0\n\n");
  const int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  const std::string lo = dir_ + "/lo.sock";
  std::strncpy(a.sun_path, lo.c_str(), sizeof a.sun_path - 1);
  ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  UapiBackend all(dir_);
  UapiBackend here(dir_, std::chrono::seconds(2), UapiBackend::Scope::kThisNamespace);
  EXPECT_EQ(all.list_interfaces()->size(), 2u);
  auto l = here.list_interfaces();
  ASSERT_EQ(l->size(), 1u);
  EXPECT_EQ((*l)[0].name, "lo");
  ::close(s);
  ::shutdown(listen_fd_, SHUT_RDWR);
}

TEST_F(UapiBackendTest, MissingDirectoryMeansNoInterfaces) {
  UapiBackend b(dir_ + "/nonexistent");
  auto l = b.list_interfaces();
  ASSERT_TRUE(l.ok());
  EXPECT_TRUE(l->empty());
}

TEST_F(UapiBackendTest, GetDeviceReassemblesAPiecewiseReply) {
  serve("wg0", testing::read_fixture("tests/fixtures/uapi/get_reply.txt"));
  UapiBackend b(dir_);
  auto d = b.get_device("wg0");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->peers.size(), 3u);
  EXPECT_EQ(request_, "get=1\n\n");
}

TEST_F(UapiBackendTest, UpdateSendsUpdateOnly) {
  serve("wg0", "errno=0\n\n");
  UapiBackend b(dir_);
  PeerEndpointUpdate u{PublicKey(PublicKey::Bytes{7}), *Endpoint::parse("198.51.100.2:51820")};
  ASSERT_TRUE(b.update_peer_endpoint("wg0", u).ok());
  EXPECT_NE(request_.find("update_only=true\n"), std::string::npos);
  EXPECT_NE(request_.find("endpoint=198.51.100.2:51820\n"), std::string::npos);
  EXPECT_EQ(request_.find("allowed_ip"), std::string::npos);
}

TEST_F(UapiBackendTest, HungServerTimesOut) {
  serve("wg0", "", /*hang=*/true);
  UapiBackend b(dir_, std::chrono::milliseconds(100));
  auto d = b.get_device("wg0");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::kTimeout);
}

TEST_F(UapiBackendTest, TruncatedReplyIsAProtocolError) {
  serve("wg0", "listen_port=51820\npublic_key=");
  UapiBackend b(dir_);
  auto d = b.get_device("wg0");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::kProtocol);
}

TEST_F(UapiBackendTest, MissingSocketIsNotFoundAndSocketsAreNeverUnlinked) {
  UapiBackend b(dir_);
  EXPECT_EQ(b.get_device("wg9").error().code, ErrorCode::kNotFound);
  // A stale socket (bound, nobody listening): NotFound, and the file stays.
  const int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  const std::string path = dir_ + "/stale.sock";
  std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
  ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ::close(s);
  EXPECT_EQ(b.get_device("stale").error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(fs::exists(path));
}

TEST(InterfaceName, Validation) {
  EXPECT_TRUE(is_valid_interface_name("wg0"));
  EXPECT_TRUE(is_valid_interface_name("a-very-long-nam"));  // 15
  EXPECT_FALSE(is_valid_interface_name("a-very-long-name"));  // 16
  EXPECT_FALSE(is_valid_interface_name(""));
  EXPECT_FALSE(is_valid_interface_name(".."));
  EXPECT_FALSE(is_valid_interface_name("a/b"));
  EXPECT_FALSE(is_valid_interface_name("a b"));
}

}  // namespace
}  // namespace wgtrack
