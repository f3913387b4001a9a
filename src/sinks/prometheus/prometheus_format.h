// Prometheus text exposition format 0.0.4, rendered from a Snapshot by pure functions
// (docs/architecture.md rule 7). The HTTP transport serves the result with kPrometheusContentType.
//
// Profiles (config: [http] metrics_profile = native | mindflavor | mdlayher):
//  - native: the wgtrack_ set (prometheus_native.cc has the list and the reasoning).
//  - mindflavor: MindFlavor/prometheus_wireguard_exporter 3.6, name for name and label for label
//    (wireguard_sent_bytes_total, wireguard_received_bytes_total,
//    wireguard_latest_handshake_seconds, optional wireguard_latest_handshake_delay_seconds;
//    labels interface, public_key, allowed_ips, friendly_name when known).
//  - mdlayher: mdlayher/wireguard_exporter (wireguard_device_info, wireguard_peer_info,
//    wireguard_peer_allowed_ips_info, wireguard_peer_receive_bytes_total,
//    wireguard_peer_transmit_bytes_total, wireguard_peer_last_handshake_seconds).
// One deliberate difference in every profile: a peer that never completed a handshake has no
// handshake series at all. Both originals export 0 there, which dashboards read as "1970"
// and `time() - x` turns into 55 years (mdlayher/wireguard_exporter#15); an absent series is
// the Prometheus idiom for "unknown", and wgtrack_peer_state{state="never"} says it outright.
//
// Output is deterministic: families in a fixed order, interfaces by name, peers by key.
// Label values are escaped (\ " and newline); nothing else in the output comes from outside.
// The Snapshot holds no secret, so no profile can export one.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "snapshot/snapshot.h"

namespace wgtrack {

inline constexpr std::string_view kPrometheusContentType =
    "text/plain; version=0.0.4; charset=utf-8";

enum class PrometheusProfile : std::uint8_t { kNative, kMindFlavor, kMdlayher };
std::string_view to_string(PrometheusProfile profile);  // "native", "mindflavor", "mdlayher"
std::optional<PrometheusProfile> parse_prometheus_profile(std::string_view text);

struct PrometheusOptions {
  PrometheusProfile profile = PrometheusProfile::kNative;
  // mindflavor: also wireguard_latest_handshake_delay_seconds (its -d switch).
  bool handshake_delay = false;
  // native: wgtrack_scrape_duration_seconds, measured by the transport (the previous scrape's
  // render + send time: a scrape cannot know its own duration before it is sent). nullopt:
  // not exported (e.g. the first scrape).
  std::optional<std::chrono::nanoseconds> scrape_duration;
};

// Appends the exposition text of `snapshot` to `out`.
void render_prometheus(const Snapshot& snapshot, const PrometheusOptions& options,
                       std::string& out);
std::string render_prometheus(const Snapshot& snapshot, const PrometheusOptions& options = {});

}  // namespace wgtrack
