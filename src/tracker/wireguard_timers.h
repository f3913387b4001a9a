// WireGuard protocol timer constants and the health thresholds derived from them. The values
// are the protocol's, not tunables: drivers/net/wireguard/messages.h (Linux), device/constants.go
// (wireguard-go) and the WireGuard paper, section 6 ("Timers & Stateless UX").
#pragma once

#include <chrono>
#include <cstdint>

namespace wgtrack::wireguard_timers {

using std::chrono::seconds;

// An initiator that sends with a session this old starts a new handshake.
inline constexpr seconds kRekeyAfterTime{120};
// A session this old is unusable: no packet is sent or accepted with it.
inline constexpr seconds kRejectAfterTime{180};
// Retransmit interval of an unanswered handshake initiation (also the minimum gap between two
// initiations).
inline constexpr seconds kRekeyTimeout{5};
// A peer that received data and has nothing to send answers with a keepalive this late
// ("passive keepalive"); a peer that sent data and heard nothing this long (+ kRekeyTimeout)
// starts a new handshake.
inline constexpr seconds kKeepaliveTimeout{10};
// How long a peer keeps retrying a handshake before giving up (MAX_TIMER_HANDSHAKES = 18
// retries of kRekeyTimeout).
inline constexpr seconds kRekeyAttemptTime{90};
// Bytes a keepalive adds to tx_bytes/rx_bytes: a transport message with an empty payload
// (4 type + 4 receiver index + 8 counter + 16 Poly1305 tag, message_data_len(0)). Data
// messages carry an IP packet padded to 16 bytes, so they are at least 64 bytes.
inline constexpr std::uint64_t kKeepaliveMessageBytes = 32;

// The classic "handshake is late" threshold (wireguard-tools contrib reresolve-dns.sh): a busy
// tunnel rekeys at 120 s, one lost initiation costs 5 s, a passive keepalive 10 s.
inline constexpr seconds kHandshakeStaleAfter = kRekeyAfterTime + kRekeyTimeout + kKeepaliveTimeout;
// Past REJECT_AFTER_TIME a tunnel that is still trying to send has no usable session.
inline constexpr seconds kHandshakeDownAfter = kRejectAfterTime;
// Sent data and received nothing for this long: the remote owes us at least a passive keepalive
// after kKeepaliveTimeout, and our own kernel gives up on the session after this (it starts a
// new handshake, timer "new_handshake").
inline constexpr seconds kTxWithoutRxDown = kRekeyTimeout + kKeepaliveTimeout;

}  // namespace wgtrack::wireguard_timers
