// The JSON form of an Event, the same in every sink:
//   {"event":"status_change","timestamp":1765189500,"time":"2026-11-22T01:04:00.123Z",
//    "interface":"wg0","peer":"<base64 public key>","name":"office","old_status":"up",
//    "status":"down","endpoint":"192.0.2.2:51820","reason":"2 probes failed"}
// `timestamp` is unix seconds (as the Flask monitor, Xcelirate/wireguard_monitor, wrote it),
// `time` the same instant in RFC 3339 UTC with milliseconds. Empty/absent fields are null.
// status_change also carries `new_status` (= status) so consumers of the Flask monitor's
// events keep working; endpoint_changed carries `old_endpoint`. All text is JSON-escaped, so a
// hostile name or interface cannot inject a line or a field.
#pragma once

#include <string>

#include "events/event.h"

namespace wgtrack {

void append_event_json(std::string& out, const Event& event);
std::string event_json(const Event& event);
// "2026-11-22T01:04:00.123Z"
std::string format_rfc3339_utc(WallTime t);

}  // namespace wgtrack
