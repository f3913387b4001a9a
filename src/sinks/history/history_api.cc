#include "sinks/history/history_api.h"

#include "core/json.h"

namespace wgtrack {

Result<std::string> render_history_json(HistoryStore& store, const PublicKey& key, WallTime since,
                                        WallTime now) {
  const std::string k = key.to_base64();
  auto found = store.peer(k);
  if (!found) return found.error();
  if (!*found) return Error(ErrorCode::kNotFound, "no history for this peer");
  const StoredPeer* peer = &**found;
  const auto resolution =
      now - since <= std::chrono::hours(24) ? std::chrono::seconds(60) : std::chrono::seconds(3600);
  auto samples = store.samples(peer->id, resolution, since);
  if (!samples) return samples.error();
  EventQuery q;
  q.since = since;
  q.peer = k;
  q.limit = 500;
  auto events = store.query_events(q);
  if (!events) return events.error();

  std::string out = "{\"interface\":";
  append_json_string(out, peer->interface);
  out += ",\"public_key\":";
  append_json_string(out, peer->key);
  out += ",\"name\":";
  if (peer->name.empty())
    out += "null";
  else
    append_json_string(out, peer->name);
  out += ",\"resolution_seconds\":" + std::to_string(resolution.count());
  out += ",\"rx_total\":" + std::to_string(peer->rx_total);
  out += ",\"tx_total\":" + std::to_string(peer->tx_total);
  out += ",\"samples\":[";
  const double per = static_cast<double>(resolution.count());
  char buf[96];
  for (std::size_t i = 0; i < samples->size(); ++i) {
    const TrafficSample& s = (*samples)[i];
    std::snprintf(buf, sizeof buf, "%s{\"t\":%lld,\"rx\":%.3f,\"tx\":%.3f,\"rtt\":null}",
                  i ? "," : "", static_cast<long long>(s.t), static_cast<double>(s.rx) / per,
                  static_cast<double>(s.tx) / per);
    out += buf;
  }
  out += "],\"events\":[";
  for (std::size_t i = 0; i < events->size(); ++i) {
    if (i) out += ',';
    out += (*events)[i].json;
  }
  out += "]}\n";
  return out;
}

}  // namespace wgtrack
