// Test helpers for the history tests: a temporary directory, events, snapshots.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "events/event.h"
#include "snapshot/snapshot.h"

namespace wgtrack::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "wgtrack-history-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all, ec);
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline PublicKey test_key(std::uint8_t id) {
  PublicKey::Bytes b{};
  b[0] = id;
  b[1] = 0x5a;
  return PublicKey(b);
}

inline Event status_event(EventType type, WallTime at, std::uint8_t peer, std::string name,
                          std::string old_status, std::string status, std::string reason = "") {
  Event e;
  e.type = type;
  e.timestamp = at;
  e.interface = "wg0";
  e.peer = test_key(peer);
  e.name = std::move(name);
  e.old_status = std::move(old_status);
  e.status = std::move(status);
  e.reason = std::move(reason);
  return e;
}

inline PeerSnapshot counter_peer(std::uint8_t id, std::uint64_t rx, std::uint64_t tx,
                                 std::string name = "") {
  PeerSnapshot p;
  p.public_key = test_key(id);
  p.key = p.public_key.to_base64();
  p.name = std::move(name);
  p.rx_bytes = rx;
  p.tx_bytes = tx;
  return p;
}

inline Snapshot counter_snapshot(WallTime at, std::vector<PeerSnapshot> peers) {
  Snapshot s;
  s.taken_at = at;
  std::sort(peers.begin(), peers.end(),
            [](const PeerSnapshot& a, const PeerSnapshot& b) { return a.key < b.key; });
  s.interfaces.push_back({.name = "wg0", .peers = std::move(peers)});
  return s;
}

}  // namespace wgtrack::testing
