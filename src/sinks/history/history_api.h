// /api/v1/history/{key}: one peer's traffic and events from the SQLite history, for the
// dashboard's charts and timeline.
//
//   {"interface":"wg0","public_key":"…","name":"office"|null,"resolution_seconds":60,
//    "rx_total":123,"tx_total":456,
//    "samples":[{"t":1763771040,"rx":1234.5,"tx":12.0,"rtt":null}, …],   (bytes per second)
//    "events":[{…the event JSON…}, …]}                                   (oldest first)
//
// Resolution: 1-minute buckets for windows up to a day, else 1-hour buckets. Totals count from
// when wgtrack first saw the peer (counter resets are not subtracted).
#pragma once

#include <chrono>
#include <string>

#include "core/clock.h"
#include "core/public_key.h"
#include "core/result.h"
#include "sinks/history/history_store.h"

namespace wgtrack {

// kNotFound when the history has no such peer.
Result<std::string> render_history_json(HistoryStore& store, const PublicKey& key, WallTime since,
                                        WallTime now);

}  // namespace wgtrack
