#include "config/config_values.h"

#include <algorithm>

#include "config/text.h"

namespace wgtrack::config {
namespace {

constexpr std::uint32_t kMaxCycles = 1'000'000;
constexpr std::size_t kMaxNameLength = 128;
constexpr std::string_view kDurationForm = "a duration such as 30, 30s, 500ms, 5m or 1h";

std::optional<Duration> duration(SectionContext& ctx, const IniEntry& e, Duration min, Duration max,
                                 bool zero_ok, std::string_view expected) {
  auto d = parse_duration(e.value);
  if (!d) {
    ctx.bad_value(e, expected, d.error().message);
    return std::nullopt;
  }
  if ((*d == Duration::zero() && zero_ok) || (*d >= min && *d <= max)) return *d;
  ctx.bad_value(e, expected);
  return std::nullopt;
}

std::optional<std::uint32_t> count(SectionContext& ctx, const IniEntry& e, std::uint32_t min) {
  auto v = parse_count(e.value, min, kMaxCycles);
  if (v) return *v;
  ctx.bad_value(
      e, "a whole number of cycles, " + std::to_string(min) + ".." + std::to_string(kMaxCycles),
      v.error().message);
  return std::nullopt;
}

std::optional<LogLevel> log_level(std::string_view text) {
  // Names as in the -l option; numbers as Python logging levels (towalink/wgtrack wanted an int).
  const std::string t = lower(text);
  if (t == "debug" || t == "10") return LogLevel::kDebug;
  if (t == "info" || t == "20") return LogLevel::kInfo;
  if (t == "warning" || t == "warn" || t == "30") return LogLevel::kWarning;
  if (t == "error" || t == "40" || t == "critical" || t == "50") return LogLevel::kError;
  return std::nullopt;
}

}  // namespace

SectionContext::SectionContext(std::string_view file, std::string_view section, bool skippable,
                               ConfigResult& out)
    : file_(file), section_(sanitize(section)), skippable_(skippable), out_(out) {}

void SectionContext::error(std::size_t line, std::string message) {
  ++errors_;
  if (skippable_) {
    message += "; [" + section_ + "] is skipped";
  } else {
    ++out_.fatal_errors;
  }
  out_.diagnostics.push_back({Severity::kError, file_, line, std::move(message)});
}

void SectionContext::warning(std::size_t line, std::string message) {
  out_.diagnostics.push_back({Severity::kWarning, file_, line, std::move(message)});
}

void SectionContext::bad_value(const IniEntry& e, std::string_view expected,
                               std::string_view reason) {
  std::string m = "invalid value '" + sanitize(e.value, 60) + "' for '" + e.key + "' in [" +
                  section_ + "]: expected " + std::string(expected);
  if (!reason.empty()) m += " (" + sanitize(reason) + ")";
  error(e.line, std::move(m));
}

std::optional<bool> SectionContext::boolean(const IniEntry& e) {
  if (auto b = parse_bool(e.value)) return b;
  warning(e.line, "invalid boolean '" + sanitize(e.value, 40) + "' for '" + e.key + "' in [" +
                      section_ + "] ignored: expected true/false, yes/no, on/off or 1/0");
  return std::nullopt;
}

std::string order_message(const Thresholds& t, std::string_view where) {
  return "handshake_stale (" + format_duration(t.handshake_stale) +
         ") is longer than handshake_down (" + format_duration(t.handshake_down) + ") in " +
         std::string(where) + ": expected handshake_stale <= handshake_down";
}

void SectionContext::order_error(const Thresholds& effective) {
  error(order_line_, order_message(effective, "[" + section_ + "]"));
}

bool general_value(SectionContext& ctx, const IniEntry& e, GeneralSettings& out) {
  if (e.key == "cycle_time") {
    if (auto d = duration(ctx, e, 100ms, 1h, false,
                          std::string(kDurationForm) + ", from 0.1 s to 1 h")) {
      out.cycle_time = *d;
    }
  } else if (e.key == "watch_interval") {
    if (auto d = duration(ctx, e, 100ms, 1h, true,
                          std::string(kDurationForm) + ", from 0.1 s to 1 h, or 0 for off")) {
      out.watch_interval = *d;
    }
  } else if (e.key == "loglevel") {
    if (auto l = log_level(e.value)) {
      out.loglevel = *l;
    } else {
      ctx.bad_value(e, "debug, info, warning or error (or 10, 20, 30, 40)");
    }
  } else if (e.key == "wireguard_config_dir") {
    if (e.value.empty()) {
      ctx.bad_value(e, "a directory such as /etc/wireguard");
      return true;
    }
    if (e.value[0] != '/') {
      ctx.warning(e.line, "wireguard_config_dir '" + sanitize(e.value) +
                              "' is relative: it depends on the daemon's working directory");
    }
    out.wireguard_config_dir = e.value;
    out.wireguard_config_dir_set = true;
  } else if (e.key == "stats_interval") {
    if (auto d = duration(ctx, e, 1s, kMaxDuration, true,
                          std::string(kDurationForm) + ", at least 1 s, or 0 for off")) {
      out.stats_interval = *d;
    }
  } else if (e.key == "dns_servers") {
    std::vector<Endpoint> servers;
    std::string_view rest = e.value;
    while (!rest.empty()) {
      const auto sep = rest.find_first_of(", \t");
      const std::string_view item = rest.substr(0, sep);
      rest.remove_prefix(sep == std::string_view::npos ? rest.size() : sep + 1);
      if (item.empty()) continue;
      auto server = item.find(':') == item.rfind(':') && item.find(':') != std::string_view::npos
                        ? Endpoint::parse(item)                      // 192.0.2.53:5353
                    : item.starts_with('[') ? Endpoint::parse(item)  // [2001:db8::53]:53
                                            : Endpoint::parse_address(item, 53);
      if (!server) {
        ctx.bad_value(e, "IP addresses of DNS servers, e.g. 192.0.2.53, [2001:db8::53]:5353",
                      server.error().message);
        return true;
      }
      servers.push_back(*server);
    }
    out.dns_servers = std::move(servers);
  } else {
    return false;
  }
  return true;
}

bool threshold_value(SectionContext& ctx, const IniEntry& e, ThresholdOverrides& out) {
  const std::string& k = e.key;
  if (k == "ping_interval") {
    if (auto v = count(ctx, e, 0)) out.ping_interval = *v;
  } else if (k == "ping_failafternum") {
    if (auto v = count(ctx, e, 1)) out.ping_failafternum = *v;
  } else if (k == "cycles_wait") {
    if (auto v = count(ctx, e, 0)) out.cycles_wait = *v;
  } else if (k == "cycles_checking") {
    if (auto v = count(ctx, e, 0)) out.cycles_checking = *v;
  } else if (k == "cycles_checkperiod") {
    if (auto v = count(ctx, e, 1)) out.cycles_checkperiod = *v;
  } else if (k == "cycles_slowcheckingperiod") {
    if (auto v = count(ctx, e, 1)) out.cycles_slowcheckingperiod = *v;
  } else if (k == "handshake_stale" || k == "handshake_down") {
    ctx.saw_order_key(e.line);
    auto d =
        duration(ctx, e, 1s, kMaxDuration, false, std::string(kDurationForm) + ", at least 1 s");
    if (d) (k == "handshake_stale" ? out.handshake_stale : out.handshake_down) = *d;
  } else if (k == "keepalive_expected") {
    if (auto d = duration(ctx, e, 100ms, 1h, true,
                          std::string(kDurationForm) + ", from 0.1 s to 1 h, or 0 for none")) {
      out.keepalive_expected =
          *d == Duration::zero() ? std::optional<Duration>() : std::optional<Duration>(*d);
    }
  } else if (k == "endpoint_recovery") {
    if (auto b = ctx.boolean(e)) out.endpoint_recovery = *b;
  } else if (k == "prefer") {
    const std::string v = lower(e.value);
    if (v == "ipv6")
      out.prefer = AddressPreference::kIPv6;
    else if (v == "ipv4")
      out.prefer = AddressPreference::kIPv4;
    else if (v == "none")
      out.prefer = AddressPreference::kNone;
    else
      ctx.bad_value(e, "ipv6, ipv4 or none");
  } else if (k == "probe") {
    const std::string v = lower(e.value);
    if (v == "icmp")
      out.probe = CandidateCheck::kIcmp;
    else if (v == "handshake")
      out.probe = CandidateCheck::kHandshake;
    else
      ctx.bad_value(e, "icmp or handshake");
  } else if (k == "confirm") {
    if (auto d =
            duration(ctx, e, 1s, 5min, false, std::string(kDurationForm) + ", from 1 s to 5 min")) {
      out.confirm = *d;
    }
  } else {
    return false;
  }
  return true;
}

bool peer_value(SectionContext& ctx, const IniEntry& e, PeerSection& out) {
  if (e.key == "name") {
    if (e.value.empty() || e.value.size() > kMaxNameLength) {
      ctx.bad_value(e, "a name of 1.." + std::to_string(kMaxNameLength) + " bytes");
    } else {
      out.name = e.value;
    }
  } else if (e.key == "probe_target") {
    static constexpr std::string_view kForm =
        "an IP address inside the tunnel (e.g. 10.0.0.2 or fd00::2), auto or none";
    if (iequals(e.value, "none")) {
      out.probe_target = ProbeTarget{ProbeMode::kNone, {}};
    } else if (iequals(e.value, "auto")) {
      out.probe_target = ProbeTarget{ProbeMode::kAuto, {}};
    } else if (auto a = Endpoint::parse_address(e.value, 0); !a) {
      ctx.bad_value(e, kForm, a.error().message);
    } else if (std::all_of(a->address().begin(), a->address().end(),
                           [](std::uint8_t b) { return b == 0; })) {
      // towalink/wgtrack pinged 0.0.0.0 for a 0.0.0.0/0 peer; that is never the peer.
      ctx.bad_value(e, kForm, "the unspecified address is not a host");
    } else {
      out.probe_target = ProbeTarget{ProbeMode::kAddress, *a};
    }
  } else if (e.key == "endpoints") {
    std::vector<HostPort> list;
    std::string_view rest = e.value;
    bool ok = true;
    while (!rest.empty()) {
      const auto sep = rest.find_first_of(", \t");
      const std::string_view item = rest.substr(0, sep);
      rest.remove_prefix(sep == std::string_view::npos ? rest.size() : sep + 1);
      if (item.empty()) continue;
      auto hp = HostPort::parse(item);
      if (!hp) {
        const std::string& why = hp.error().message;
        ctx.error(e.line, "invalid endpoint '" + sanitize(item, 80) + "' in 'endpoints' of [" +
                              ctx.section_text() + "]: expected host:port or [IPv6]:port" +
                              (why.starts_with("expected") ? "" : " (" + sanitize(why) + ")"));
        ok = false;
      } else {
        list.push_back(std::move(*hp));
      }
    }
    if (ok && list.empty()) ctx.bad_value(e, "a list of host:port, separated by commas");
    if (ok && !list.empty()) out.endpoints = std::move(list);
  } else {
    return false;
  }
  return true;
}

}  // namespace wgtrack::config
