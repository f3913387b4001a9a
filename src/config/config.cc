#include "config/config.h"

#include <algorithm>

namespace wgtrack::config {

const char* to_string(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

void ThresholdOverrides::apply_to(Thresholds& t) const {
  if (ping_interval) t.ping_interval = *ping_interval;
  if (ping_failafternum) t.ping_failafternum = *ping_failafternum;
  if (cycles_wait) t.cycles_wait = *cycles_wait;
  if (cycles_checking) t.cycles_checking = *cycles_checking;
  if (cycles_checkperiod) t.cycles_checkperiod = *cycles_checkperiod;
  if (cycles_slowcheckingperiod) t.cycles_slowcheckingperiod = *cycles_slowcheckingperiod;
  if (handshake_stale) t.handshake_stale = *handshake_stale;
  if (handshake_down) t.handshake_down = *handshake_down;
  if (keepalive_expected) t.keepalive_expected = *keepalive_expected;
  if (endpoint_recovery) t.endpoint_recovery = *endpoint_recovery;
  if (prefer) t.prefer = *prefer;
  if (probe) t.probe = *probe;
  if (confirm) t.confirm = *confirm;
}

const IniEntry* OutputSection::find(std::string_view key) const {
  for (const auto* list : {&entries, &inherited}) {
    for (const auto& e : *list) {
      if (e.key == key) return &e;
    }
  }
  return nullptr;
}

bool Config::interface_enabled(std::string_view interface) const {
  bool enabled = interfaces_enabled;
  for (const auto& s : interfaces) {
    if (s.name == interface && s.enabled) enabled = *s.enabled;
  }
  return enabled;
}

Thresholds Config::interface_thresholds(std::string_view interface) const {
  Thresholds t = defaults;
  for (const auto& s : interfaces) {
    if (s.name == interface) s.overrides.apply_to(t);
  }
  return t;
}

PeerPolicy Config::peer_policy(std::string_view interface, const PublicKey& key,
                               std::string_view friendly_name) const {
  PeerPolicy p;
  p.interface_enabled = interface_enabled(interface);
  p.thresholds = interface_thresholds(interface);

  const PeerSection* by_key = nullptr;
  for (const auto& s : peers) {
    if (s.key && *s.key == key) by_key = &s;
  }
  // [peer:KEY] name = x renames the peer, and the new name is what [peer:NAME] matches.
  std::string_view name = friendly_name;
  if (by_key != nullptr && by_key->name) name = *by_key->name;
  const PeerSection* by_name = nullptr;
  if (!name.empty()) {
    for (const auto& s : peers) {
      if (!s.key && s.selector == name) by_name = &s;
    }
  }

  if (!friendly_name.empty()) p.name = std::string(friendly_name);
  for (const PeerSection* s : {by_name, by_key}) {  // the key section is the more specific
    if (s == nullptr) continue;
    s->overrides.apply_to(p.thresholds);
    if (s->probe_target) p.probe_target = *s->probe_target;
    if (s->name) p.name = *s->name;
    if (s->endpoints) p.endpoints = *s->endpoints;
  }
  return p;
}

PeerPolicy Config::peer_policy(std::string_view interface, const PublicKey& key) const {
  std::string_view name;
  if (const auto* w = find_wgquick(interface)) {
    if (const auto* peer = w->find_peer(key); peer != nullptr && peer->name) name = *peer->name;
  }
  return peer_policy(interface, key, name);
}

const WgQuickInterface* Config::find_wgquick(std::string_view interface) const {
  for (const auto& w : wgquick) {
    if (w.name == interface) return &w;
  }
  return nullptr;
}

ConfigResult parse_config(std::string_view text, std::string_view file) {
  IniParseResult ini = parse_ini(text, file);
  ConfigResult result = build_config(ini.document);
  auto& d = result.diagnostics;
  d.insert(d.begin(), ini.diagnostics.begin(), ini.diagnostics.end());
  std::stable_sort(d.begin(), d.end(),
                   [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
  return result;
}

}  // namespace wgtrack::config
