// The validated policy model of wgtrack.conf, built from an IniDocument (pure) and looked up per
// interface and peer by the daemon. The loader (config_loader.h) adds the wg-quick files.
//
// Sections and layering (a superset of towalink/wgtrack's file):
//   [DEFAULT]              lowest layer: applies wherever a key is not set more specifically
//                          (configparser's rule); its other keys are passed to every output
//   [general]              daemon settings + the thresholds for all interfaces
//   [interface:NAME]       thresholds for one interface; `enabled = false` ignores it
//   [peer:KEY-OR-NAME]     thresholds, probe_target, name, keepalive_expected, endpoints for one
//                          peer, matched by its base64 public key or by its friendly name
//   [output:NAME]          kept for the outputs layer (see OutputSection)
// Effective thresholds: built-in <- [DEFAULT] <- [general] <- [interface:X] <- [peer:NAME]
// <- [peer:KEY] (the more specific wins).
//
// Validation: unknown keys, keys in the wrong section and bad booleans are warnings (the value
// is ignored); other bad values are errors naming file:line, key, value and the expected form.
// An error in a [peer:…] section skips that section only; any other error makes the result
// not ok() (the daemon refuses to start, or keeps the old config on SIGHUP).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostic.h"
#include "config/durations.h"
#include "config/ini_parser.h"
#include "config/wgquick_parser.h"
#include "core/endpoint.h"
#include "core/host_port.h"
#include "core/public_key.h"

namespace wgtrack::config {

using namespace std::chrono_literals;

enum class LogLevel { kDebug, kInfo, kWarning, kError };
const char* to_string(LogLevel level);

// Endpoint recovery (src/endpoint): which address family goes first among a host's addresses
// (RFC 8305), and how a candidate is judged before it is used.
enum class AddressPreference : std::uint8_t { kIPv6, kIPv4, kNone };  // prefer = ipv6|ipv4|none
enum class CandidateCheck : std::uint8_t { kIcmp, kHandshake };       // probe = icmp|handshake

// Per-peer health, probe cadence and endpoint recovery, layered like towalink/wgtrack's
// thresholds. Counts are in cycles (of cycle_time), as in towalink/wgtrack.
struct Thresholds {
  std::uint32_t ping_interval = 1;      // probe every N cycles; 0 = no probes
  std::uint32_t ping_failafternum = 2;  // consecutive failed probes before "down" (>= 1)
  std::uint32_t cycles_wait = 2;
  std::uint32_t cycles_checking = 4;
  std::uint32_t cycles_checkperiod = 2;          // >= 1
  std::uint32_t cycles_slowcheckingperiod = 20;  // >= 1
  Duration handshake_stale = 135s;               // REKEY_AFTER 120 + REKEY_TIMEOUT 5 + KEEPALIVE 10
  Duration handshake_down = 180s;                // REJECT_AFTER_TIME; always >= handshake_stale
  // The remote sends keepalives this often, so rx progress is a health signal; nullopt = not
  // expected (the key's value 0).
  std::optional<Duration> keepalive_expected;
  // Endpoint recovery, for peers with a host name (wg-quick Endpoint) or an `endpoints` list.
  bool endpoint_recovery = true;
  AddressPreference prefer = AddressPreference::kIPv6;
  CandidateCheck probe = CandidateCheck::kIcmp;
  Duration confirm = 10s;  // after a switch: a handshake or rx must follow within this (1s..5m)

  friend bool operator==(const Thresholds&, const Thresholds&) = default;
};

// The same keys, each set only where a section sets it.
struct ThresholdOverrides {
  std::optional<std::uint32_t> ping_interval, ping_failafternum, cycles_wait, cycles_checking,
      cycles_checkperiod, cycles_slowcheckingperiod;
  std::optional<Duration> handshake_stale, handshake_down;
  std::optional<std::optional<Duration>> keepalive_expected;
  std::optional<bool> endpoint_recovery;
  std::optional<AddressPreference> prefer;
  std::optional<CandidateCheck> probe;
  std::optional<Duration> confirm;

  void apply_to(Thresholds& t) const;
};

enum class ProbeMode {
  kAuto,     // the tracker picks the host address of a /32 or /128 allowed IP, if any
  kNone,     // probe_target = none
  kAddress,  // probe_target = <IP address>
};

struct ProbeTarget {
  ProbeMode mode = ProbeMode::kAuto;
  Endpoint address;  // kAddress only; port 0

  friend bool operator==(const ProbeTarget&, const ProbeTarget&) = default;
};

struct GeneralSettings {
  Duration cycle_time = 30s;  // 0.1 s .. 1 h
  // Between regular cycles the interfaces are read (and judged) this often, and the peers whose
  // endpoint wgtrack recovers (the links this host dials) are probed this often: a black hole
  // or a peer that stops answering is seen in seconds, while outputs keep cycle_time. 0 = off
  // (reads and probes only at cycle_time, as the original wgtrack); no effect >= cycle_time.
  Duration watch_interval = 2s;
  LogLevel loglevel = LogLevel::kInfo;
  std::string wireguard_config_dir = "/etc/wireguard";
  bool wireguard_config_dir_set = false;  // written in the file (the loader warns if missing)
  Duration stats_interval = 3600s;        // 0 = no periodic stats
  // dns_servers = 192.0.2.53, [2001:db8::53]:5353: endpoint recovery asks these instead of
  // resolv.conf's (validated; port 53 unless given). Empty: resolv.conf.
  std::vector<Endpoint> dns_servers;
};

struct InterfaceSection {
  std::string name;
  std::optional<bool> enabled;
  ThresholdOverrides overrides;
  std::size_t line = 0;
};

struct PeerSection {
  std::string selector;          // the text after "peer:"
  std::optional<PublicKey> key;  // set when the selector is a valid base64 public key
  std::optional<std::string> name;
  std::optional<ProbeTarget> probe_target;
  std::optional<std::vector<HostPort>> endpoints;  // ordered, unresolved
  ThresholdOverrides overrides;
  std::size_t line = 0;
};

// An [output:NAME] section, validated by the outputs layer. `type` is lowercase and never empty
// in a built Config: from `type = …`, or "influx_file" for towalink/wgtrack's
// [output:influx] / a section with `filename` and no type.
struct OutputSection {
  std::string name;
  std::string type;
  std::string file;
  std::size_t line = 0;
  std::vector<IniEntry> entries;    // the section's own, with lines
  std::vector<IniEntry> inherited;  // [DEFAULT] entries the section does not set itself

  const IniEntry* find(std::string_view key) const;  // own first, then inherited
};

// Everything the daemon needs to know about one peer.
struct PeerPolicy {
  bool interface_enabled = true;
  Thresholds thresholds;
  ProbeTarget probe_target;
  std::optional<std::string> name;  // [peer:] name, else the wg-quick/friendly name
  std::vector<HostPort> endpoints;  // from [peer:] endpoints; empty if none
};

struct Config {
  std::string file;
  GeneralSettings general;
  Thresholds defaults;             // built-in <- [DEFAULT] <- [general]
  bool interfaces_enabled = true;  // [DEFAULT] enabled
  std::vector<InterfaceSection> interfaces;
  std::vector<PeerSection> peers;  // valid sections only
  std::vector<OutputSection> outputs;
  // [http] and [history]: kept as written (with lines) for the daemon layer that validates them
  // (daemon/http_settings.h, history); `name` is the section's name.
  std::optional<OutputSection> http;
  std::optional<OutputSection> history;
  std::vector<WgQuickInterface> wgquick;  // filled by the loader

  bool interface_enabled(std::string_view interface) const;
  Thresholds interface_thresholds(std::string_view interface) const;
  // The effective policy of a peer; `friendly_name` (e.g. from its wg-quick file, may be
  // empty) selects [peer:NAME] unless a [peer:KEY] section gives the peer another `name`.
  PeerPolicy peer_policy(std::string_view interface, const PublicKey& key,
                         std::string_view friendly_name) const;
  // As above, with the friendly name from the loaded wg-quick file of `interface`.
  PeerPolicy peer_policy(std::string_view interface, const PublicKey& key) const;
  const WgQuickInterface* find_wgquick(std::string_view interface) const;
};

struct ConfigResult {
  Config config;
  std::vector<Diagnostic> diagnostics;
  std::size_t fatal_errors = 0;  // errors outside skippable [peer:…] sections

  bool ok() const { return fatal_errors == 0; }
};

// Validates a parsed wgtrack.conf. Counts the document's own syntax errors (IniSection::
// syntax_errors, IniDocument::orphan_errors) but does not repeat their diagnostics.
ConfigResult build_config(const IniDocument& document);
// parse_ini + build_config, with both sets of diagnostics ordered by line.
ConfigResult parse_config(std::string_view text, std::string_view file);

}  // namespace wgtrack::config
