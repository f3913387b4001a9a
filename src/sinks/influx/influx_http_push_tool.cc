// wgtrack-influx-push: writes tests/support/sample_snapshot.h through InfluxHttpSink and the
// real BeastHttpClient to an InfluxDB, for tests/integration/influx_http.sh (a test tool, not
// installed). Exit 0 when every line was written, 1 otherwise, 2 on bad usage.
//
//   wgtrack-influx-push --url http://127.0.0.1:8086 --db wgtrack [--schema telegraf]
//                       [--precision s] [--cycles N] [--api v2 --org O --bucket B --token T]
// --cycles N writes N snapshots one second apart (the sample's time, +1 s, +2 s, ...);
// --deadline-ms M gives up after M ms (default 15000) with what is still buffered.
#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <cstring>
#include <string>

#include "http_client/beast_http_client.h"
#include "sinks/influx/influx_http_sink.h"
#include "support/sample_snapshot.h"
#include "sys/system_clock.h"

namespace {

int usage() {
  std::fprintf(stderr,
               "usage: wgtrack-influx-push --url URL (--db NAME | --api v2 --org O --bucket B "
               "[--token T]) [--schema wgtrack|telegraf] [--precision s|ms|us|ns] [--cycles N] "
               "[--deadline-ms M]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace wgtrack;
  InfluxHttpOptions o;
  o.backoff = {std::chrono::milliseconds(100), std::chrono::milliseconds(500)};
  o.timeout = std::chrono::seconds(5);
  int cycles = 1;
  int deadline_ms = 15000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    const std::string value = argv[i + 1];
    if (key == "--url")
      o.url = value;
    else if (key == "--db")
      o.database = value;
    else if (key == "--api")
      o.api = value == "v2" ? InfluxApi::kV2 : InfluxApi::kV1;
    else if (key == "--org")
      o.org = value;
    else if (key == "--bucket")
      o.bucket = value;
    else if (key == "--token")
      o.token = value;
    else if (key == "--cycles")
      cycles = std::stoi(value);
    else if (key == "--deadline-ms")
      deadline_ms = std::stoi(value);
    else if (key == "--schema") {
      auto s = parse_influx_schema(value);
      if (!s) return usage();
      o.schema = *s;
    } else if (key == "--precision") {
      auto p = parse_influx_precision(value);
      if (!p) return usage();
      o.precision = *p;
    } else {
      return usage();
    }
  }
  if (argc % 2 != 1) return usage();

  boost::asio::io_context io;
  BeastHttpClient client(io, nullptr);
  SystemClock clock;
  auto sink = InfluxHttpSink::create(io, client, clock, o, [](SinkLogLevel, std::string_view m) {
    std::fprintf(stderr, "%.*s\n", static_cast<int>(m.size()), m.data());
  });
  if (!sink) {
    std::fprintf(stderr, "wgtrack-influx-push: %s\n", sink.error().message.c_str());
    return 2;
  }
  Snapshot snapshot = testing::sample_snapshot();
  for (int i = 0; i < cycles; ++i) {
    (*sink)->publish(snapshot);
    snapshot.taken_at += std::chrono::seconds(1);
  }
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(deadline_ms);
  while (std::chrono::steady_clock::now() < end) {
    const InfluxHttpStats s = (*sink)->stats();
    if (s.buffered_lines == 0) break;
    io.run_one_for(std::chrono::milliseconds(50));
  }
  const InfluxHttpStats s = (*sink)->stats();
  std::printf(
      "url=%s lines_written=%llu lines_rejected=%llu lines_dropped=%llu "
      "requests_failed=%llu buffered=%zu\n",
      (*sink)->write_url().c_str(), static_cast<unsigned long long>(s.lines_written),
      static_cast<unsigned long long>(s.lines_rejected),
      static_cast<unsigned long long>(s.lines_dropped),
      static_cast<unsigned long long>(s.requests_failed), s.buffered_lines);
  return s.buffered_lines == 0 && s.lines_rejected == 0 && s.lines_dropped == 0 ? 0 : 1;
}
