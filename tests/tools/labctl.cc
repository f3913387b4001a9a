// wgtrack-labctl: drives wgtrack's backends directly for the labs and the scale harness.
//
//   wgtrack-labctl set-endpoint [--backend auto|kernel|userspace] IFACE PUBKEY ENDPOINT
//   wgtrack-labctl read [--backend ...] IFACE [--repeat N]   full read + parse, timings, memory
//   wgtrack-labctl raw-read IFACE [--repeat N]               raw UAPI get, no parsing (the floor)
//   wgtrack-labctl cycle [--backend ...] IFACE [--repeat N]  raw get vs full read + parse vs
//       the daemon's cycle without probes (read, diff, health, events), interleaved per round
//   wgtrack-labctl probe IFACE TARGET_IP [--count N] [--interval-ms M] [--timeout-ms T]
//       in-tunnel echo with wgtrack's IcmpProber: one "ok seq=.. rtt_ms=..", "lost seq=.." or
//       "error seq=.." line per probe as it completes (t_ms: since the first was sent), then a
//       summary with the CPU time this process spent per probe. Probes go out every M ms
//       (default 1000; 0 = all at once) without waiting for replies, like ping(8).
//       Exit 0 all ok, 3 some lost, 1 some could not be sent (permission, no such interface).
//   wgtrack-labctl resolve HOST [--server IP:PORT] [--resolv-conf PATH] [--timeout-ms T]
//       [--tries N]   A and AAAA through wgtrack's AresResolver: one "addr=.. ttl=.." line per
//       address, or "error=.. permanent=0|1"; "partial=.." when a family failed transiently;
//       then elapsed_ms. Exit 0 answered, 1 error.
//
// Output is "key=value" lines for scripts. Exit 0 ok, 1 backend error, 2 usage.
#include <malloc.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "config/config.h"
#include "monitor/monitor.h"
#include "probe/icmp_prober.h"
#include "resolver/ares_resolver.h"
#include "wireguard/dispatcher.h"
#include "wireguard/kernel_backend.h"
#include "wireguard/uapi_backend.h"
#include "wireguard/x25519.h"

namespace {

using namespace wgtrack;
using SteadyClock = std::chrono::steady_clock;

int usage() {
  std::fprintf(stderr,
               "usage: wgtrack-labctl set-endpoint [--backend B] IFACE PUBKEY ENDPOINT\n"
               "       wgtrack-labctl read [--backend B] IFACE [--repeat N]\n"
               "       wgtrack-labctl raw-read IFACE [--repeat N]\n"
               "       wgtrack-labctl cycle [--backend B] IFACE [--repeat N]\n"
               "       wgtrack-labctl probe IFACE TARGET_IP [--count N] [--interval-ms M]"
               " [--timeout-ms T]\n"
               "       wgtrack-labctl resolve HOST [--server IP:PORT] [--resolv-conf PATH]"
               " [--timeout-ms T] [--tries N]\n"
               "B: auto (default, wg's rule), kernel, userspace\n");
  return 2;
}

int fail(const Error& e) {
  std::fprintf(stderr, "wgtrack-labctl: %s (%s)\n", e.message.c_str(), to_string(e.code));
  return 1;
}

double median_ms(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

void print_times(const std::vector<double>& ms) {
  std::printf("runs=%zu\nmedian_ms=%.3f\nmin_ms=%.3f\nmax_ms=%.3f\n", ms.size(), median_ms(ms),
              *std::min_element(ms.begin(), ms.end()), *std::max_element(ms.begin(), ms.end()));
}

double cpu_ms(const rusage& u, bool user) {
  const timeval& t = user ? u.ru_utime : u.ru_stime;
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_usec) / 1e3;
}

int run_probe(const std::string& iface, const std::string& target_text, int count,
              int interval_ms, int timeout_ms) {
  auto target = Endpoint::parse_address(target_text, 0);
  if (!target) return fail(target.error());
  boost::asio::io_context io;
  IcmpProber prober(io);
  boost::asio::steady_timer tick(io);
  int sent = 0, done = 0, ok = 0, lost = 0, errors = 0;
  std::vector<double> rtts;
  rusage before{}, after{};
  ::getrusage(RUSAGE_SELF, &before);
  const auto start = SteadyClock::now();
  auto since_start_ms = [&start] {
    return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
  };
  auto on_done = [&](int seq, const ProbeResult& r) {
    ++done;
    if (r.ok) {
      ++ok;
      rtts.push_back(std::chrono::duration<double, std::milli>(r.rtt).count());
      std::printf("ok seq=%d rtt_ms=%.3f t_ms=%.1f\n", seq, rtts.back(), since_start_ms());
    } else if (r.lost()) {
      ++lost;
      std::printf("lost seq=%d t_ms=%.1f reason=%s\n", seq, since_start_ms(),
                  r.error->message.c_str());
    } else {
      ++errors;
      std::printf("error seq=%d t_ms=%.1f code=%s reason=%s\n", seq, since_start_ms(),
                  to_string(r.error->code), r.error->message.c_str());
    }
    if (done == count) io.stop();
  };
  std::function<void()> send_next = [&] {
    do {
      const int seq = sent++;
      prober.probe({iface, *target, std::chrono::milliseconds(timeout_ms)},
                   [&on_done, seq](const ProbeResult& r) { on_done(seq, r); });
    } while (interval_ms == 0 && sent < count);
    if (sent == count) return;
    tick.expires_at(start + std::chrono::milliseconds(interval_ms) * sent);
    tick.async_wait([&send_next](boost::system::error_code ec) {
      if (!ec) send_next();
    });
  };
  send_next();
  io.run();
  ::getrusage(RUSAGE_SELF, &after);
  const double user = cpu_ms(after, true) - cpu_ms(before, true);
  const double sys = cpu_ms(after, false) - cpu_ms(before, false);
  const auto kind = prober.socket_kind(iface, target->family());
  std::printf("sent=%d\nok=%d\nlost=%d\nerrors=%d\nsocket=%s\nelapsed_ms=%.1f\n", sent, ok, lost,
              errors, kind ? to_string(*kind) : "none", since_start_ms());
  if (!rtts.empty()) {
    std::printf("rtt_min_ms=%.3f\nrtt_median_ms=%.3f\nrtt_max_ms=%.3f\n",
                *std::min_element(rtts.begin(), rtts.end()), median_ms(rtts),
                *std::max_element(rtts.begin(), rtts.end()));
  }
  std::printf("cpu_user_ms=%.1f\ncpu_sys_ms=%.1f\ncpu_per_probe_ms=%.4f\n", user, sys,
              (user + sys) / count);
  return errors > 0 ? 1 : lost > 0 ? 3 : 0;
}

int run_resolve(const std::string& host, const AresResolverOptions& options) {
  boost::asio::io_context io;
  AresResolverOptions o = options;
  o.on_partial = [](const std::string&, const Error& missing) {
    std::printf("partial=%s\n", missing.message.c_str());
  };
  AresResolver resolver(io, o);
  const auto start = SteadyClock::now();
  int rc = 1;
  resolver.resolve(host, [&](endpoint::HostAnswer a) {
    if (a.ok()) {
      for (const auto& r : a->addresses) {
        std::printf("addr=%s ttl=%lld\n", r.address.address_string().c_str(),
                    static_cast<long long>(r.ttl.count()));
      }
      rc = 0;
    } else {
      std::printf("error=%s permanent=%d code=%s\n", a.error().message.c_str(),
                  endpoint::is_permanent_dns_error(a.error()) ? 1 : 0,
                  to_string(a.error().code));
    }
    io.stop();
  });
  io.run();
  std::printf("elapsed_ms=%.1f\n",
              std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count());
  return rc;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string backend_name = "auto";
  int repeat = 1;
  int count = 1, interval_ms = 1000, timeout_ms = 1000, tries = 2;
  std::string server, resolv_conf;
  std::vector<std::string> pos;
  for (std::size_t i = 0; i < args.size(); ++i) {
    // `--name N` with N >= lo; the value is consumed.
    auto int_option = [&](const char* name, int& out, int lo) {
      if (args[i] != name || i + 1 >= args.size()) return false;
      out = std::max(lo, std::atoi(args[++i].c_str()));
      return true;
    };
    if (args[i] == "--backend" && i + 1 < args.size()) backend_name = args[++i];
    else if (args[i] == "--server" && i + 1 < args.size()) server = args[++i];
    else if (args[i] == "--resolv-conf" && i + 1 < args.size()) resolv_conf = args[++i];
    else if (int_option("--tries", tries, 1)) continue;
    else if (args[i] == "--repeat" && i + 1 < args.size()) repeat = std::max(1, std::atoi(args[++i].c_str()));
    else if (int_option("--count", count, 1) || int_option("--interval-ms", interval_ms, 0) ||
             int_option("--timeout-ms", timeout_ms, 1)) continue;
    else pos.push_back(args[i]);
  }
  if (pos.empty()) return usage();

  KernelBackend kernel;
  UapiBackend userspace;
  Dispatcher dispatcher(kernel, userspace,
                        [&userspace](std::string_view n) { return userspace.has_socket(n); });
  WireGuardBackend* backend = &dispatcher;
  if (backend_name == "kernel") backend = &kernel;
  else if (backend_name == "userspace") backend = &userspace;
  else if (backend_name != "auto") return usage();

  const std::string& cmd = pos[0];
  if (cmd == "resolve" && pos.size() == 2) {
    AresResolverOptions o;
    o.servers = server;
    o.resolv_conf = resolv_conf;
    o.timeout = std::chrono::milliseconds(timeout_ms);
    o.tries = tries;
    return run_resolve(pos[1], o);
  }
  if (cmd == "probe" && pos.size() == 3) {
    return run_probe(pos[1], pos[2], count, interval_ms, timeout_ms);
  }
  if (cmd == "set-endpoint" && pos.size() == 4) {
    auto key = PublicKey::from_base64(pos[2]);
    if (!key) return fail(key.error());
    auto ep = Endpoint::parse(pos[3]);
    if (!ep) return fail(ep.error());
    auto r = backend->update_peer_endpoint(pos[1], {*key, *ep});
    if (!r) return fail(r.error());
    std::printf("ok\n");
    return 0;
  }
  if (cmd == "read" && pos.size() == 2) {
    std::vector<double> ms;
    std::size_t peers = 0;
    std::size_t allowed = 0;
    long long heap = 0;
    for (int i = 0; i < repeat; ++i) {
      const auto before = mallinfo2().uordblks;
      const auto t0 = SteadyClock::now();
      auto d = backend->get_device(pos[1]);
      const auto t1 = SteadyClock::now();
      if (!d) return fail(d.error());
      heap = static_cast<long long>(mallinfo2().uordblks) - static_cast<long long>(before);
      ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      peers = d->peers.size();
      allowed = 0;
      for (const auto& p : d->peers) allowed += p.allowed_ips.size();
    }
    std::printf("peers=%zu\nallowed_ips=%zu\n", peers, allowed);
    print_times(ms);
    // Memory held by the parsed model: heap in use with the Device alive, per peer, and the
    // part of it that is allowed IPs (the budget: <= 256 B per peer plus allowed IPs;
    // docs/architecture.md, Targets).
    if (peers > 0) {
      std::printf("model_bytes_per_peer=%.1f\nsizeof_peer=%zu\nallowed_ip_bytes_per_peer=%.1f\n",
                  static_cast<double>(heap) / peers, sizeof(Peer),
                  static_cast<double>(allowed * sizeof(IpPrefix)) / peers);
    }
    return 0;
  }
  if (cmd == "cycle" && pos.size() == 2) {
    // Interleaved, so all three see the same wireguard-go (it slows down as it is read
    // repeatedly): each round runs a raw get, a full read + parse, and a daemon cycle without
    // probes (read, diff, health, events), in an order that rotates every round.
    auto cfg = config::parse_config("[general]\nping_interval = 0\n", "labctl");
    Monitor monitor(std::make_shared<const config::Config>(std::move(cfg.config)));
    std::vector<double> raw_ms, read_ms, cycle_ms;
    std::size_t peers = 0;
    std::size_t events = 0;
    auto ms_since = [](SteadyClock::time_point t0) {
      return std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count();
    };
    auto run_cycle = [&](bool record) -> Result<void> {
      const auto t0 = SteadyClock::now();
      std::vector<InterfaceRead> reads;
      reads.push_back({pos[1], backend->get_device(pos[1])});
      if (!reads[0].device) return reads[0].device.error();
      peers = reads[0].device->peers.size();
      CycleOutput out;
      monitor.run_cycle(std::move(reads), MonoTime(t0.time_since_epoch()),
                        std::chrono::time_point_cast<std::chrono::nanoseconds>(
                            std::chrono::system_clock::now()),
                        out);
      if (record) {
        cycle_ms.push_back(ms_since(t0));
        events += out.events.size();
      }
      return success();
    };
    if (auto r = run_cycle(false); !r) return fail(r.error());  // warm-up: initial_status
    for (int i = 0; i < repeat; ++i) {
      for (int k = 0; k < 3; ++k) {
        switch ((i + k) % 3) {
          case 0: {
            const auto t0 = SteadyClock::now();
            auto raw = userspace.raw_get(pos[1]);
            if (!raw) return fail(raw.error());
            secure_zero(raw->data(), raw->size());
            raw_ms.push_back(ms_since(t0));
            break;
          }
          case 1: {
            const auto t0 = SteadyClock::now();
            auto d = backend->get_device(pos[1]);
            if (!d) return fail(d.error());
            read_ms.push_back(ms_since(t0));
            break;
          }
          default:
            if (auto r = run_cycle(true); !r) return fail(r.error());
        }
      }
    }
    std::printf("peers=%zu\nevents=%zu\nruns=%d\nraw_median_ms=%.3f\nread_median_ms=%.3f\n"
                "cycle_median_ms=%.3f\n",
                peers, events, repeat, median_ms(raw_ms), median_ms(read_ms), median_ms(cycle_ms));
    return 0;
  }
  if (cmd == "raw-read" && pos.size() == 2) {
    std::vector<double> ms;
    std::size_t bytes = 0;
    for (int i = 0; i < repeat; ++i) {
      const auto t0 = SteadyClock::now();
      auto raw = userspace.raw_get(pos[1]);
      const auto t1 = SteadyClock::now();
      if (!raw) return fail(raw.error());
      bytes = raw->size();
      secure_zero(raw->data(), raw->size());
      ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    std::printf("bytes=%zu\n", bytes);
    print_times(ms);
    return 0;
  }
  return usage();
}
