// `wgtrack endpoint`: the one-shot endpoint manager wireguard_endpoint_manager.py (a cron script),
// for cron, with its steps, words and exit codes — and without its bugs: the existing endpoint is
// the given peer's (the script read the first peer of the interface), candidates are probed in
// parallel (the script pinged one after the other), every address of the name is a candidate,
// and the endpoint is written with update-only (a peer removed meanwhile is not re-created).
// The script: https://pmcc.net/posts/automated-wireguard-endpoint-updates-reachability-checks
//
//   wgtrack endpoint --interface wg0 --peer KEY --host HOST --port PORT [--dry-run]
//                    [--prefer ipv6|ipv4|none]
//
// Output, as the script's:
//   Candidate addresses: ['2001:db8::1', '203.0.113.1']
//   2001:db8::1 is not reachable
//   203.0.113.1 is reachable
//   All reachable addresses: ['203.0.113.1']
//   Chosen endpoint is 203.0.113.1:51820
//   Existing endpoint is [2001:db8::1]:51820
//   Updating wg0 peer KEY endpoint 203.0.113.1:51820       (script: "Executing wg set ...")
//   Done updating wg0 peer KEY endpoint 203.0.113.1:51820
// or "Nothing to do: endpoint is already ...", or "DRY RUN: Would have updated ...".
// Order: the preferred family's addresses first (each family in DNS order), as the script; the
// chosen endpoint is the first reachable one in that order. `--prefer none`: DNS order.
// Reachable: one of up to three echoes (1 s each, the next only after a loss) is answered.
//
// Exit codes (the script's): 0 done or nothing to do; 255 no address resolved (exit(-1));
// 254 none reachable (exit(-2)); 1 anything else (bad interface or peer, write failed).
#pragma once

#include <functional>
#include <ostream>
#include <string>

#include "probe/prober.h"
#include "resolver/resolver.h"
#include "wireguard/backend.h"

namespace wgtrack {

struct EndpointOptions {
  std::string interface;
  std::string peer;  // base64 (or hex) public key
  std::string host;
  std::uint16_t port = 0;
  bool dry_run = false;
  std::string prefer = "ipv6";
};

inline constexpr int kExitNoAddress = 255;
inline constexpr int kExitNoneReachable = 254;

// Runs the command. `pump` carries out pending asynchronous work (resolver answers, probe
// results) and returns false when there was nothing to do; the real CLI passes io.run_one().
int run_endpoint(const EndpointOptions& options, WireGuardBackend& backend, Resolver& resolver,
                 Prober& prober, const std::function<bool()>& pump, std::ostream& out,
                 std::ostream& err);

}  // namespace wgtrack
