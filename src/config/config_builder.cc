// build_config: validates an IniDocument into a Config. Value syntaxes live in
// config_values.cc; this file knows the sections and how they layer.
#include <algorithm>

#include "config/config.h"
#include "config/config_keys.h"
#include "config/config_values.h"
#include "config/text.h"

namespace wgtrack::config {
namespace {

bool has_prefix_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

class Builder {
 public:
  Builder(const IniDocument& doc, ConfigResult& out) : doc_(doc), out_(out) {
    out_.config.file = doc.file;
    out_.fatal_errors = doc.orphan_errors;
  }

  void run() {
    const bool have_outputs =
        std::any_of(doc_.sections.begin(), doc_.sections.end(),
                    [](const IniSection& s) { return has_prefix_ci(s.name, "output:"); });
    // [DEFAULT] first, then [general] over it: the layer order of config.h.
    for (const auto& s : doc_.sections) {
      if (s.name == "DEFAULT") default_section(s, have_outputs);
    }
    for (const auto& s : doc_.sections) {
      if (iequals(s.name, "general")) general_section(s);
    }
    general_overrides_.apply_to(out_.config.defaults);
    const Thresholds& t = out_.config.defaults;
    if (t.handshake_stale > t.handshake_down) {
      ++out_.fatal_errors;
      out_.diagnostics.push_back({Severity::kError, doc_.file, general_order_line_,
                                  order_message(t, "[general]/[DEFAULT]")});
    }
    for (const auto& s : doc_.sections) {
      if (s.name == "DEFAULT" || iequals(s.name, "general")) continue;
      if (has_prefix_ci(s.name, "interface:")) {
        interface_section(s);
      } else if (has_prefix_ci(s.name, "peer:")) {
        peer_section(s);
      } else if (has_prefix_ci(s.name, "output:")) {
        output_section(s);
      } else if (iequals(s.name, "http")) {
        raw_section(s, out_.config.http);
      } else if (iequals(s.name, "history")) {
        raw_section(s, out_.config.history);
      } else {
        unknown_section(s);
      }
    }
  }

 private:
  SectionContext context(const IniSection& s, bool skippable) {
    out_.fatal_errors += skippable ? 0 : s.syntax_errors;
    return SectionContext(doc_.file, s.name, skippable, out_);
  }

  // Warns about a key that is unknown or does not belong in this section; true if it does.
  bool check_key(SectionContext& ctx, const IniEntry& e, unsigned scope) {
    const unsigned scopes = key_scopes(e.key);
    if (scopes & scope) return true;
    if (scopes == 0) {
      std::string m = "unknown key '" + sanitize(e.key, 40) + "' in [" + ctx.section_text() + "]";
      if (const auto hint = closest_key(e.key, scope); !hint.empty()) {
        m += "; did you mean '" + hint + "'?";
      }
      ctx.warning(e.line, m + " (ignored)");
    } else {
      ctx.warning(e.line, "key '" + e.key + "' does not belong in [" + ctx.section_text() +
                              "]; it is a key of " + scopes_text(scopes) + " (ignored)");
    }
    return false;
  }

  void default_section(const IniSection& s, bool have_outputs) {
    SectionContext ctx = context(s, false);
    for (const auto& e : s.entries) {
      // Other keys may be meant for the outputs, which see every [DEFAULT] entry.
      if (key_scopes(e.key) == 0 && have_outputs) continue;
      if (!check_key(ctx, e, kScopeDefault)) continue;
      if (e.key == "enabled") {
        if (auto b = ctx.boolean(e)) out_.config.interfaces_enabled = *b;
      } else if (!general_value(ctx, e, out_.config.general) &&
                 !threshold_value(ctx, e, general_overrides_)) {
        ctx.warning(e.line, "unhandled key '" + e.key + "'");  // keep kKeys and this in sync
      }
    }
    general_order_line_ = std::max(general_order_line_, ctx.order_line());
  }

  void general_section(const IniSection& s) {
    SectionContext ctx = context(s, false);
    for (const auto& e : s.entries) {
      if (!check_key(ctx, e, kScopeGeneral)) continue;
      if (!general_value(ctx, e, out_.config.general)) {
        threshold_value(ctx, e, general_overrides_);
      }
    }
    general_order_line_ = std::max(general_order_line_, ctx.order_line());
  }

  void interface_section(const IniSection& s) {
    SectionContext ctx = context(s, false);
    InterfaceSection out;
    out.name = std::string(trim(std::string_view(s.name).substr(10)));
    out.line = s.line;
    if (!is_valid_interface_name(out.name)) {
      ctx.error(s.line, "invalid interface name '" + sanitize(out.name, 40) + "' in [" +
                            ctx.section_text() + "]: expected 1-15 of a-z A-Z 0-9 _ = + . -");
    }
    for (const auto& e : s.entries) {
      if (!check_key(ctx, e, kScopeInterface)) continue;
      if (e.key == "enabled") {
        if (auto b = ctx.boolean(e)) out.enabled = *b;
      } else {
        threshold_value(ctx, e, out.overrides);
      }
    }
    Thresholds t = out_.config.defaults;
    out.overrides.apply_to(t);
    if (t.handshake_stale > t.handshake_down) ctx.order_error(t);
    out_.config.interfaces.push_back(std::move(out));
  }

  void peer_section(const IniSection& s) {
    SectionContext ctx = context(s, true);
    PeerSection out;
    out.selector = std::string(trim(std::string_view(s.name).substr(5)));
    out.line = s.line;
    if (out.selector.empty()) {
      ctx.error(s.line, "[" + ctx.section_text() +
                            "] needs a public key or a peer name after "
                            "'peer:'");
    } else if (auto key = PublicKey::from_base64(out.selector)) {
      out.key = *key;
    } else if (out.selector.size() == 44 && out.selector.back() == '=') {
      ctx.warning(s.line, "[" + ctx.section_text() +
                              "] looks like a public key but is not "
                              "one (" +
                              k_error(key) + "); it will match a peer by name only");
    }
    for (const auto& e : s.entries) {
      if (!check_key(ctx, e, kScopePeer)) continue;
      if (!peer_value(ctx, e, out)) threshold_value(ctx, e, out.overrides);
    }
    Thresholds t = out_.config.defaults;
    out.overrides.apply_to(t);
    if (t.handshake_stale > t.handshake_down) ctx.order_error(t);
    if (s.syntax_errors > 0) {
      ctx.error(s.line, "[" + ctx.section_text() + "] is skipped: it has malformed lines");
    }
    if (ctx.errors() == 0) out_.config.peers.push_back(std::move(out));
  }

  static std::string k_error(const Result<PublicKey>& key) {
    return key ? std::string() : sanitize(key.error().message);
  }

  void output_section(const IniSection& s) {
    SectionContext ctx = context(s, false);
    OutputSection out;
    out.name = std::string(trim(std::string_view(s.name).substr(7)));
    out.file = doc_.file;
    out.line = s.line;
    out.entries = s.entries;
    if (const IniSection* def = doc_.find("DEFAULT")) {
      for (const auto& e : def->entries) {
        if (s.find(e.key) == nullptr && key_scopes(e.key) == 0) out.inherited.push_back(e);
      }
    }
    if (out.name.empty()) {
      ctx.error(s.line, "[" + ctx.section_text() + "] needs a name after 'output:'");
    }
    if (const IniEntry* type = s.find("type")) {
      out.type = lower(type->value);
      if (out.type.empty()) ctx.error(type->line, "empty 'type' in [" + ctx.section_text() + "]");
    } else if (out.find("filename") != nullptr || out.name == "influx") {
      out.type = "influx_file";  // towalink/wgtrack's only output: [output:influx] filename = ...
    } else {
      ctx.error(s.line, "[" + ctx.section_text() +
                            "] has no 'type = …' (e.g. journal, file, "
                            "exec, prometheus)");
    }
    out_.config.outputs.push_back(std::move(out));
  }

  void raw_section(const IniSection& s, std::optional<OutputSection>& out) {
    if (out) {
      SectionContext ctx = context(s, false);
      ctx.warning(s.line, "[" + ctx.section_text() + "] repeated: only the first one counts");
      return;
    }
    OutputSection raw;
    raw.name = lower(s.name);
    raw.type = raw.name;
    raw.file = doc_.file;
    raw.line = s.line;
    raw.entries = s.entries;
    out = std::move(raw);
  }

  void unknown_section(const IniSection& s) {
    SectionContext ctx = context(s, false);
    std::string m = "unknown section [" + ctx.section_text() + "] ignored";
    const auto colon = s.name.find(':');
    const std::string head = lower(std::string_view(s.name).substr(0, colon));
    for (std::string_view want : {"general", "default", "interface", "peer", "output"}) {
      if (edit_distance(head, want, 2) <= 2 &&
          (colon != std::string::npos) == (want != "general" && want != "default")) {
        std::string fix = want == "default" ? "DEFAULT" : std::string(want);
        if (colon != std::string::npos) fix += s.name.substr(colon);
        m += "; did you mean [" + sanitize(fix) + "]?";
        break;
      }
    }
    ctx.warning(s.line, m + " (expected [general], [DEFAULT], [interface:NAME], "
                            "[peer:KEY-OR-NAME] or [output:NAME])");
  }

  const IniDocument& doc_;
  ConfigResult& out_;
  ThresholdOverrides general_overrides_;  // [DEFAULT] then [general]
  std::size_t general_order_line_ = 0;    // last handshake_* line there
};

}  // namespace

ConfigResult build_config(const IniDocument& document) {
  ConfigResult result;
  Builder(document, result).run();
  return result;
}

}  // namespace wgtrack::config
