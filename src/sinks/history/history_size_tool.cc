// history_size_tool PATH [PEERS] [DAYS] [EVENTS_PER_PEER_PER_DAY]
// Fills a new history database with the steady state of PEERS peers after DAYS days at the
// default retention (a day of 1-minute rows, DAYS days of 1-hour rows, the events of DAYS
// days, through HistoryStore::write and maintain like the daemon) and prints its size. Traffic
// values are realistic magnitudes (SQLite stores integers in 1-8 bytes by value).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include "sinks/history/history_store.h"

using namespace wgtrack;
using namespace std::chrono_literals;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s PATH [PEERS] [DAYS] [EVENTS_PER_PEER_PER_DAY]\n", argv[0]);
    return 2;
  }
  const std::string path = argv[1];
  const std::uint32_t peers = argc > 2 ? static_cast<std::uint32_t>(std::atoi(argv[2])) : 100;
  const int days = argc > 3 ? std::atoi(argv[3]) : 90;
  const int events_per_day = argc > 4 ? std::atoi(argv[4]) : 4;
  std::filesystem::remove(path);
  auto store = HistoryStore::open(path);
  if (!store) {
    std::fprintf(stderr, "%s\n", store.error().message.c_str());
    return 1;
  }
  const std::int64_t now = 1763769600;  // an hour boundary
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<std::uint64_t> minute_bytes(0, 50'000'000);  // up to ~6 Mbit/s
  (void)store->begin_run(WallTime(std::chrono::seconds(now - std::int64_t{days} * 86400)));
  HistoryBatch announce;
  for (std::uint32_t p = 0; p < peers; ++p) {
    PublicKey::Bytes b{};
    for (int k = 0; k < 4; ++k) b[k] = static_cast<std::uint8_t>(p >> (8 * k));
    b[31] = 0x40;
    announce.counters.peers.push_back({.slot = p,
                                       .interface = "wg0",
                                       .key = PublicKey(b).to_base64(),
                                       .name = "peer-" + std::to_string(p),
                                       .seen = WallTime(std::chrono::seconds(now))});
  }
  if (auto r = store->write({announce}); !r) return std::fprintf(stderr, "write failed\n"), 1;
  std::uint64_t total = 0;
  for (int day = days - 1; day >= 0; --day) {
    HistoryBatch batch;
    const std::int64_t day_start = now - std::int64_t{day + 1} * 86400;
    for (std::uint32_t p = 0; p < peers; ++p) {
      // The last day at minute resolution; older days as one row per hour (what is left of
      // them after minute retention, see below).
      const std::int64_t step = day == 0 ? 60 : 3600;
      for (std::int64_t t = day_start; t < day_start + 86400; t += step) {
        const std::uint64_t rx = minute_bytes(rng) * (step / 60), tx = minute_bytes(rng) / 8;
        total += rx;
        batch.counters.rows.push_back({.slot = p,
                                       .start = t,
                                       .rx = rx,
                                       .tx = tx,
                                       .rx_total = total,
                                       .tx_total = total / 8,
                                       .rx_last = total,
                                       .tx_last = total / 8,
                                       .last_seen = WallTime(std::chrono::seconds(t))});
      }
      for (int e = 0; e < events_per_day; ++e) {
        Event ev;
        ev.type = EventType::kStatusChange;
        ev.timestamp = WallTime(std::chrono::seconds(day_start + e * (86400 / events_per_day)));
        ev.interface = "wg0";
        ev.peer = PublicKey();
        ev.name = "peer-" + std::to_string(p);
        ev.old_status = e % 2 ? "down" : "up";
        ev.status = e % 2 ? "up" : "down";
        ev.reason = e % 2 ? "handshake completed" : "2 probes failed";
        ev.endpoint = Endpoint::ipv4({198, 51, 100, static_cast<std::uint8_t>(p)}, 51820);
        batch.events.push_back(std::move(ev));
      }
    }
    batch.now = WallTime(std::chrono::seconds(day_start + 86400));
    if (auto r = store->write({batch}); !r) {
      std::fprintf(stderr, "%s\n", r.error().message.c_str());
      return 1;
    }
  }
  HistoryOptions o;
  o.max_size = 0;
  if (auto r = store->maintain(o, WallTime(std::chrono::seconds(now))); !r) {
    std::fprintf(stderr, "%s\n", r.error().message.c_str());
    return 1;
  }
  const std::uint64_t live = *store->live_bytes();
  std::printf("peers=%u days=%d events/peer/day=%d live_bytes=%llu file_bytes=%llu (%.1f MiB)\n",
              peers, days, events_per_day, static_cast<unsigned long long>(live),
              static_cast<unsigned long long>(std::filesystem::file_size(path)),
              static_cast<double>(std::filesystem::file_size(path)) / (1024.0 * 1024.0));
  return 0;
}
