// HealthPolicy: the thresholds of one peer's health state machine. The config layer resolves
// it per peer ([general] < [interface:X] < [peer:Y]); the defaults are the protocol's.
#pragma once

#include <chrono>
#include <optional>

#include "tracker/wireguard_timers.h"

namespace wgtrack {

struct HealthPolicy {
  using Duration = std::chrono::nanoseconds;

  // Handshake age from which a peer that is trying to send is `stale` (grace, not yet down).
  // The clock for it starts at kRekeyAfterTime (when the kernel would rekey) or at the first
  // send after that, whichever is later: a quiet peer's old handshake is never late.
  Duration handshake_stale = wireguard_timers::kHandshakeStaleAfter;  // 135 s
  // Handshake age from which such a peer is `down`.
  Duration handshake_down = wireguard_timers::kHandshakeDownAfter;  // 180 s
  // Consecutive failed in-tunnel probes that make the peer `down` (towalink/wgtrack's
  // `ping_failafternum`). 0 disables probe verdicts. One lost probe below this count changes
  // nothing.
  int probe_fail_after = 2;
  // The REMOTE sends persistent keepalives this often (its PersistentKeepalive, which the local
  // device cannot see). When set, silence in both directions for rx_silence_limit() of it is
  // `down`. Unset: rx silence means nothing (keepalives are one-way).
  std::optional<Duration> keepalive_expected;
  // We sent data (not keepalives) and nothing at all came back for this long: `down`.
  // Unset disables the rule.
  std::optional<Duration> tx_without_rx_down = wireguard_timers::kTxWithoutRxDown;  // 15 s
  // Recovery from `down` needs positive evidence (a new handshake, rx progress or a successful
  // probe) observed after the failure, in at least this many observations.
  int recover_after = 1;
};

// How long both directions may be silent before a remote that sends keepalives every
// `keepalive` is declared down: 1.5 x the interval (see peer_health.cc for why).
constexpr std::chrono::nanoseconds rx_silence_limit(std::chrono::nanoseconds keepalive) {
  return keepalive * 3 / 2;
}

}  // namespace wgtrack
