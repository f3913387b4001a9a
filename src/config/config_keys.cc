#include "config/config_keys.h"

#include "config/text.h"

namespace wgtrack::config {
namespace {

struct KeyInfo {
  std::string_view key;
  unsigned scopes;
};

constexpr unsigned kThreshold = kScopeGeneral | kScopeInterface | kScopePeer | kScopeDefault;

constexpr KeyInfo kKeys[] = {
    {"cycle_time", kScopeGeneral | kScopeDefault},
    {"watch_interval", kScopeGeneral | kScopeDefault},
    {"loglevel", kScopeGeneral | kScopeDefault},
    {"wireguard_config_dir", kScopeGeneral | kScopeDefault},
    {"stats_interval", kScopeGeneral | kScopeDefault},
    {"dns_servers", kScopeGeneral | kScopeDefault},
    {"ping_interval", kThreshold},
    {"ping_failafternum", kThreshold},
    {"cycles_wait", kThreshold},
    {"cycles_checking", kThreshold},
    {"cycles_checkperiod", kThreshold},
    {"cycles_slowcheckingperiod", kThreshold},
    {"handshake_stale", kThreshold},
    {"handshake_down", kThreshold},
    {"keepalive_expected", kThreshold},
    {"endpoint_recovery", kThreshold},
    {"prefer", kThreshold},
    {"probe", kThreshold},
    {"confirm", kThreshold},
    {"enabled", kScopeInterface | kScopeDefault},
    {"probe_target", kScopePeer},
    {"name", kScopePeer},
    {"endpoints", kScopePeer},
};

}  // namespace

unsigned key_scopes(std::string_view key) {
  for (const auto& k : kKeys) {
    if (k.key == key) return k.scopes;
  }
  return 0;
}

std::string closest_key(std::string_view key, unsigned scope) {
  std::string best;
  std::size_t best_distance = 3;
  for (const auto& k : kKeys) {
    if ((k.scopes & scope) == 0) continue;
    const std::size_t d = edit_distance(key, k.key, 2);
    if (d < best_distance) {
      best_distance = d;
      best = std::string(k.key);
    }
  }
  return best;
}

std::string scopes_text(unsigned scopes) {
  std::string out;
  auto add = [&](unsigned bit, std::string_view text) {
    if ((scopes & bit) == 0) return;
    if (!out.empty()) out += " or ";
    out += text;
  };
  add(kScopeGeneral, "[general]");
  add(kScopeInterface, "[interface:NAME]");
  add(kScopePeer, "[peer:KEY-OR-NAME]");
  return out;
}

}  // namespace wgtrack::config
