#include "config/config_loader.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "support/fixtures.h"

namespace wgtrack::config {
namespace {

namespace fs = std::filesystem;

class ConfigLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "wgtrack-config-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir_ = templ;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, std::string_view text) {
    const fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }

  const Diagnostic* find(const ConfigResult& r, std::string_view piece) {
    for (const auto& d : r.diagnostics) {
      if (d.message.find(piece) != std::string::npos) return &d;
    }
    return nullptr;
  }

  fs::path dir_;
};

TEST_F(ConfigLoaderTest, MissingFileMeansDefaultsAndAWarning) {
  auto r = load_config((dir_ / "absent.conf").string());
  EXPECT_TRUE(r.ok());
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_EQ(r.diagnostics[0].severity, Severity::kWarning);
  EXPECT_EQ(r.diagnostics[0].line, 0u);
  EXPECT_NE(r.diagnostics[0].message.find("using the built-in defaults"), std::string::npos);
  EXPECT_EQ(r.config.general.cycle_time, 30s);
}

TEST_F(ConfigLoaderTest, UnreadableFileIsAnError) {
  auto r = load_config(dir_.string());  // a directory
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].severity, Severity::kError);
  EXPECT_EQ(r.diagnostics[0].file, dir_.string());
}

TEST_F(ConfigLoaderTest, ReadsConfigAndWgQuickFilesWithoutBlocking) {
  const std::string wg = (dir_ / "wireguard").string();
  const std::string path = write("wgtrack.conf", "[general]\nwireguard_config_dir = " + wg +
                                                     "\n[peer:laptop]\n"
                                                     "ping_interval = 0\n");
  write("wireguard/wg0.conf", testing::read_fixture("tests/fixtures/config/wg0.conf"));
  write("wireguard/wg1.conf", "[Peer]\nPublicKey = nope\n");
  write("wireguard/wg0.conf.bak", "ignored");
  write("wireguard/not a name.conf", "[Peer]\n");
  fs::create_directories(dir_ / "wireguard" / "wg7.conf");                  // a directory
  ASSERT_EQ(::mkfifo((dir_ / "wireguard" / "wg9.conf").c_str(), 0600), 0);  // no writer, ever

  auto r = load_config(path);
  EXPECT_TRUE(r.ok()) << format_diagnostics(r.diagnostics);  // wg-quick problems never fatal
  ASSERT_EQ(r.config.wgquick.size(), 2u);
  EXPECT_EQ(r.config.wgquick[0].name, "wg0");
  EXPECT_EQ(r.config.wgquick[0].peers.size(), 3u);
  EXPECT_EQ(r.config.wgquick[1].name, "wg1");
  EXPECT_TRUE(r.config.wgquick[1].peers.empty());

  const auto* bad_peer = find(r, "invalid PublicKey 'nope'");
  ASSERT_NE(bad_peer, nullptr);
  EXPECT_EQ(bad_peer->file, wg + "/wg1.conf");
  EXPECT_EQ(bad_peer->line, 2u);
  EXPECT_NE(find(r, "'not a name.conf' is not an interface name"), nullptr);
  const auto* fifo = find(r, "not a regular file");
  ASSERT_NE(fifo, nullptr) << format_diagnostics(r.diagnostics);
  EXPECT_EQ(fifo->severity, Severity::kWarning);
  EXPECT_EQ(fifo->file, wg + "/wg9.conf");
  EXPECT_NE(find(r, "Is a directory"), nullptr) << format_diagnostics(r.diagnostics);

  // The policy lookup now knows the wg-quick names.
  const auto laptop = *PublicKey::from_base64("arnx6499M4j0+dWG9m6Z/VQIDfLERvDlhmiwnAihbdA=");
  EXPECT_EQ(r.config.peer_policy("wg0", laptop).thresholds.ping_interval, 0u);
}

TEST_F(ConfigLoaderTest, ConfiguredDirMissingWarns) {
  const std::string path =
      write("wgtrack.conf", "[general]\nwireguard_config_dir = " + (dir_ / "nope").string());
  auto r = load_config(path);
  EXPECT_TRUE(r.ok());
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].severity, Severity::kWarning);
  EXPECT_NE(r.diagnostics[0].message.find("cannot read wireguard_config_dir"), std::string::npos);
}

TEST_F(ConfigLoaderTest, InvalidConfigStillReportsWgQuick) {
  const std::string path = write("wgtrack.conf",
                                 "[general]\ncycle_time = soon\n"
                                 "wireguard_config_dir = " +
                                     (dir_ / "wg").string() + "\n");
  write("wg/wg0.conf", "[Peer]\n");
  auto r = load_config(path);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(count_errors(r.diagnostics), 2u) << format_diagnostics(r.diagnostics);
  EXPECT_EQ(r.fatal_errors, 1u);
}

TEST_F(ConfigLoaderTest, ReadFileBounds) {
  const std::string p = write("big.conf", std::string(5000, 'x'));
  EXPECT_EQ(read_config_file(p)->size(), 5000u);
  auto small = read_config_file(p, 100);
  ASSERT_FALSE(small.ok());
  EXPECT_EQ(small.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(read_config_file((dir_ / "none").string()).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(*read_config_file(write("empty.conf", "")), "");
}

}  // namespace
}  // namespace wgtrack::config
