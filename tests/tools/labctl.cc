// wgtrack-labctl: drives wgtrack's backends directly for the labs and the scale harness.
//
//   wgtrack-labctl set-endpoint [--backend auto|kernel|userspace] IFACE PUBKEY ENDPOINT
//   wgtrack-labctl read [--backend ...] IFACE [--repeat N]   full read + parse, timings, memory
//   wgtrack-labctl raw-read IFACE [--repeat N]               raw UAPI get, no parsing (the floor)
//
// Output is "key=value" lines for scripts. Exit 0 ok, 1 backend error, 2 usage.
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "wireguard/dispatcher.h"
#include "wireguard/kernel_backend.h"
#include "wireguard/uapi_backend.h"
#include "wireguard/x25519.h"

namespace {

using namespace wgtrack;
using Clock = std::chrono::steady_clock;

int usage() {
  std::fprintf(stderr,
               "usage: wgtrack-labctl set-endpoint [--backend B] IFACE PUBKEY ENDPOINT\n"
               "       wgtrack-labctl read [--backend B] IFACE [--repeat N]\n"
               "       wgtrack-labctl raw-read IFACE [--repeat N]\n"
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

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string backend_name = "auto";
  int repeat = 1;
  std::vector<std::string> pos;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--backend" && i + 1 < args.size()) backend_name = args[++i];
    else if (args[i] == "--repeat" && i + 1 < args.size()) repeat = std::max(1, std::atoi(args[++i].c_str()));
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
      const auto t0 = Clock::now();
      auto d = backend->get_device(pos[1]);
      const auto t1 = Clock::now();
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
    // part of it that is allowed IPs (the budget: <= 256 B per peer plus allowed IPs).
    if (peers > 0) {
      std::printf("model_bytes_per_peer=%.1f\nsizeof_peer=%zu\nallowed_ip_bytes_per_peer=%.1f\n",
                  static_cast<double>(heap) / peers, sizeof(Peer),
                  static_cast<double>(allowed * sizeof(IpPrefix)) / peers);
    }
    return 0;
  }
  if (cmd == "raw-read" && pos.size() == 2) {
    std::vector<double> ms;
    std::size_t bytes = 0;
    for (int i = 0; i < repeat; ++i) {
      const auto t0 = Clock::now();
      auto raw = userspace.raw_get(pos[1]);
      const auto t1 = Clock::now();
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
