// The environment of one exec hook run (pure). The child gets only these variables, never the
// daemon's own environment:
//   chouyu/wg_monitor's on-change-script variables, same names and forms:
//     PEER_EVENT        ONLINE / OFFLINE (initial_status, peer_added, status_change, by status),
//                       ROAMING (endpoint_changed), REMOVED (peer_removed), else the event name
//                       in capitals (HANDSHAKE, RESOLVE_FAILED, CANDIDATE_UNREACHABLE)
//     PEER_IFACE, PEER_PUBKEY (base64), PEER_ENDPOINT ("" when none)
//     PEER_ALLOWED_IPS  host addresses of /32 and /128 allowed IPs without the suffix, joined by
//                       ", "; all prefixes when there is no host one; "" when unknown
//     PEER_HANDSHAKE    unix seconds of the latest handshake, "0" for never or unknown
//     PEER_ONLINE       "1" when the status is up, idle or stale (not failed), else "0"
//   wgtrack's: WGTRACK_EVENT, WGTRACK_INTERFACE, WGTRACK_PEER, WGTRACK_NAME, WGTRACK_STATUS,
//     WGTRACK_OLD_STATUS, WGTRACK_ENDPOINT, WGTRACK_OLD_ENDPOINT, WGTRACK_REASON (empty when not
//     applicable), WGTRACK_EVENT_JSON (event_json_line), and PATH.
// Every value is one sanitized line (sanitize_text), so a script that echoes one into a log
// cannot be made to forge lines.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "events/event.h"

namespace wgtrack {

inline constexpr const char* kExecDefaultPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// "NAME=value" strings, ready for execve's envp.
std::vector<std::string> exec_environment(const Event& event, std::string_view path_value);

std::string wg_monitor_event_name(const Event& event);
bool is_online_status(std::string_view status);

}  // namespace wgtrack
