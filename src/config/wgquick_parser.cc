#include "config/wgquick_parser.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>

#include "config/text.h"

namespace wgtrack::config {
namespace {

constexpr std::size_t kMaxNameLength = 128;

// wg(8) drops every whitespace character of a line before parsing it (config.c).
std::string strip_space(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f') out += c;
  }
  return out;
}

// A key is quoted in a message only if it cannot be a secret: short and identifier-like. A
// "PrivateKey yAnz...=" line (no '=' between) would otherwise put the key in the message.
std::string quote_key(std::string_view key) {
  if (key.size() > 24) return "(not shown)";
  for (char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return "(not shown)";
  }
  return "'" + std::string(key) + "'";
}

// Shape check only (44 base64 chars, '=' last): a preshared key's value is never decoded into
// a message or kept.
bool looks_like_key(std::string_view v) {
  if (v.size() != 44 || v[43] != '=') return false;
  for (std::size_t i = 0; i < 43; ++i) {
    const char c = v[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '/';
    if (!ok) return false;
  }
  return true;
}

struct NameComment {
  std::string name;
  bool above_only = false;   // PiVPN "### begin NAME ###" names the next [Peer] only
  bool equals_form = false;  // "Name = x": names the [Peer] it sits in, if any
  bool bad = false;          // a name key with an unusable value (already reported)
};

class Parser {
 public:
  Parser(std::string_view file, WgQuickParseResult& out) : file_(file), out_(out) {
    out_.interface.file = std::string(file);
  }

  void line(std::string_view raw, std::size_t no) {
    line_no_ = no;
    const auto hash = raw.find('#');
    const std::string content = strip_space(raw.substr(0, hash));
    if (content.empty()) {
      if (hash == std::string_view::npos) return flush_pending();  // blank line ends a run
      if (auto n = name_comment(raw.substr(hash + 1)); n && !n->bad) pending_ = std::move(*n);
      return;
    }
    if (content[0] == '[') return header(content);
    flush_pending();
    key_value(content);
  }

  void finish() {
    flush_pending();
    finish_peer();
  }

 private:
  enum class Section { kNone, kInterface, kPeer, kUnknown };

  std::optional<NameComment> name_comment(std::string_view c) {
    while (!c.empty() && c[0] == '#') c.remove_prefix(1);
    c = trim(c);
    NameComment n;
    if (c.size() > 6 && iequals(c.substr(0, 6), "begin ") && c.ends_with("###")) {
      // PiVPN wraps each client as "### begin NAME ###" ... "### end NAME ###".
      c = trim(c.substr(6));
      while (!c.empty() && c.back() == '#') c.remove_suffix(1);
      n.name = std::string(trim(c));
      n.above_only = true;
    } else {
      const auto d = c.find_first_of("=:");
      if (d == std::string_view::npos) return std::nullopt;
      const std::string_view key = trim(c.substr(0, d));
      if (!iequals(key, "name") && !iequals(key, "friendly_name")) return std::nullopt;
      n.name = std::string(trim(c.substr(d + 1)));
      n.equals_form = c[d] == '=';
    }
    if (n.name.empty()) return std::nullopt;
    if (has_control(n.name) || n.name.size() > kMaxNameLength) {
      warning("unusable peer name '" + sanitize(n.name, 40) +
              "' ignored: control characters or "
              "longer than " +
              std::to_string(kMaxNameLength) + " bytes");
      n.bad = true;
    }
    return n;
  }

  // Ends a run of comment lines that did not lead into a [Peer] header: a name in it belongs
  // to the peer section it sits in.
  void flush_pending() {
    if (pending_ && section_ == Section::kPeer && !pending_->above_only && !peer_name_set_) {
      peer_.name = std::move(pending_->name);
      peer_name_set_ = true;
    }
    pending_.reset();
  }

  void header(std::string_view content) {
    std::optional<NameComment> above = std::move(pending_);
    pending_.reset();
    if (above && above->equals_form && section_ == Section::kPeer) {
      // "# Name = x" belongs to the section it is written in, even right above the next header.
      pending_ = std::move(above);
      flush_pending();
      above.reset();
    }
    finish_peer();
    if (iequals(content, "[Peer]")) {
      section_ = Section::kPeer;
      peer_ = WgQuickPeer{};
      peer_.line = line_no_;
      peer_valid_ = true;
      have_key_ = false;
      peer_name_set_ = false;
      if (above) peer_.name = std::move(above->name);
    } else if (iequals(content, "[Interface]")) {
      section_ = Section::kInterface;
    } else {
      section_ = Section::kUnknown;
      // Quoted up to its ']': "[Interface]PrivateKey=..." on one line must not show the key.
      const auto close = content.find(']');
      warning("unknown section " +
              (close == std::string_view::npos ? std::string("(no closing ']', not shown)")
                                               : sanitize(content.substr(0, close + 1), 40)) +
              " ignored: expected [Interface] or [Peer]");
    }
  }

  void key_value(std::string_view content) {
    const auto eq = content.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      // The text is not quoted: a malformed line may be a private key.
      return warning("malformed line ignored: expected 'Key = Value'");
    }
    const std::string_view key = content.substr(0, eq);
    const std::string_view value = content.substr(eq + 1);
    switch (section_) {
      case Section::kNone:
        return warning("key " + quote_key(key) + " outside [Interface] or [Peer] ignored");
      case Section::kUnknown:
        return;
      case Section::kInterface:
        return interface_key(key, value);
      case Section::kPeer:
        return peer_key(key, value);
    }
  }

  void interface_key(std::string_view key, std::string_view value) {
    if (iequals(key, "ListenPort")) {
      std::uint16_t port = 0;
      if (value == "0" || parse_port(value, port)) {
        out_.interface.listen_port = port;
      } else {
        warning("invalid ListenPort '" + sanitize(value, 20) + "' ignored: expected 0..65535");
      }
    } else if (iequals(key, "Address")) {
      prefix_list(value, "Address", out_.interface.addresses);
    } else if (iequals(key, "DNS")) {
      dns_list(value);
    } else if (!is_known_interface_key(key)) {
      warning("unknown key " + quote_key(key) + " in [Interface] ignored");
    }
  }

  static bool is_known_interface_key(std::string_view key) {
    // wg(8) keys and the ones wg-quick(8) handles itself.
    for (std::string_view k : {"PrivateKey", "FwMark", "DNS", "MTU", "Table", "PreUp", "PostUp",
                               "PreDown", "PostDown", "SaveConfig"}) {
      if (iequals(key, k)) return true;
    }
    return false;
  }

  void peer_key(std::string_view key, std::string_view value) {
    if (iequals(key, "PublicKey")) {
      auto k = PublicKey::from_base64(value);
      if (!k) {
        peer_valid_ = false;
        return error("invalid PublicKey '" + sanitize(value, 60) + "' (" +
                     sanitize(k.error().message) +
                     "): expected 44 base64 characters as wg "
                     "genkey | wg pubkey prints; this [Peer] (line " +
                     std::to_string(peer_.line) + ") is skipped");
      }
      peer_.public_key = *k;
      have_key_ = true;
    } else if (iequals(key, "PresharedKey")) {
      peer_.has_preshared_key = looks_like_key(value);
      if (!peer_.has_preshared_key) {
        warning("malformed PresharedKey (value not shown): expected 44 base64 characters");
      }
    } else if (iequals(key, "AllowedIPs")) {
      prefix_list(value, "AllowedIPs", peer_.allowed_ips);
    } else if (iequals(key, "Endpoint")) {
      endpoint(value);
    } else if (iequals(key, "PersistentKeepalive")) {
      std::uint16_t s = 0;
      if (iequals(value, "off") || value == "0") {
        peer_.persistent_keepalive = 0;
      } else if (parse_port(value, s)) {
        peer_.persistent_keepalive = s;
      } else {
        warning("invalid PersistentKeepalive '" + sanitize(value, 20) +
                "' ignored: expected off or 0..65535 seconds");
      }
    } else {
      warning("unknown key " + quote_key(key) + " in [Peer] ignored");
    }
  }

  void endpoint(std::string_view value) {
    auto hp = HostPort::parse(value);
    if (!hp) {
      // wg(8) splits an unbracketed endpoint at the last ':', so "2001:db8::1:51820" works there.
      const auto colon = value.rfind(':');
      if (colon != std::string_view::npos &&
          value.substr(0, colon).find(':') != std::string::npos &&
          Endpoint::parse_address(value.substr(0, colon), 1)) {
        auto alt = HostPort::parse("[" + std::string(value.substr(0, colon)) + "]" +
                                   std::string(value.substr(colon)));
        if (alt) hp = std::move(alt);
      }
    }
    if (!hp) {
      peer_valid_ = false;
      const std::string& why = hp.error().message;
      return error("invalid Endpoint '" + sanitize(value, 80) + "'" +
                   (why.starts_with("expected") ? "" : " (" + sanitize(why) + ")") +
                   ": expected host:port or [IPv6]:port; this [Peer] (line " +
                   std::to_string(peer_.line) + ") is skipped");
    }
    peer_.endpoint = std::move(*hp);
  }

  void prefix_list(std::string_view value, std::string_view key, std::vector<IpPrefix>& out) {
    while (!value.empty()) {
      const auto comma = value.find(',');
      const std::string_view item = value.substr(0, comma);
      value.remove_prefix(comma == std::string_view::npos ? value.size() : comma + 1);
      if (item.empty()) continue;
      auto p = IpPrefix::parse(item);
      if (p) {
        out.push_back(*p);
      } else {
        warning("invalid " + std::string(key) + " entry '" + sanitize(item, 60) +
                "' ignored: expected an address with optional /prefix, e.g. 10.0.0.2/32");
      }
    }
  }

  void dns_list(std::string_view value) {
    while (!value.empty()) {
      const auto comma = value.find(',');
      const std::string_view item = value.substr(0, comma);
      value.remove_prefix(comma == std::string_view::npos ? value.size() : comma + 1);
      if (auto a = Endpoint::parse_address(item, 0)) out_.interface.dns.push_back(*a);
    }
  }

  void finish_peer() {
    if (section_ != Section::kPeer) return;
    section_ = Section::kNone;
    if (!peer_valid_) return;  // already reported where it went wrong
    const std::size_t at = peer_.line;
    if (!have_key_) {
      return out_.diagnostics.push_back(
          {Severity::kError, std::string(file_), at, "[Peer] without PublicKey is skipped"});
    }
    const auto [seen, fresh] = seen_.emplace(peer_.public_key, peer_.line);
    if (!fresh) {
      return out_.diagnostics.push_back(
          {Severity::kError, std::string(file_), at,
           "[Peer] " + peer_.public_key.to_base64() + " repeats the peer at line " +
               std::to_string(seen->second) + "; this section is skipped"});
    }
    out_.interface.peers.push_back(std::move(peer_));
  }

  void error(std::string m) {
    out_.diagnostics.push_back({Severity::kError, std::string(file_), line_no_, std::move(m)});
  }
  void warning(std::string m) {
    out_.diagnostics.push_back({Severity::kWarning, std::string(file_), line_no_, std::move(m)});
  }

  std::string_view file_;
  WgQuickParseResult& out_;
  std::unordered_map<PublicKey, std::size_t, PublicKeyHash> seen_;  // key -> [Peer] line
  std::size_t line_no_ = 0;
  Section section_ = Section::kNone;
  WgQuickPeer peer_;
  bool peer_valid_ = true;
  bool have_key_ = false;
  bool peer_name_set_ = false;          // by a comment inside the section
  std::optional<NameComment> pending_;  // name from the current run of comment lines
};

}  // namespace

const WgQuickPeer* WgQuickInterface::find_peer(const PublicKey& key) const {
  if (by_key.size() == peers.size()) {
    const auto it = std::lower_bound(
        by_key.begin(), by_key.end(), key,
        [this](std::uint32_t i, const PublicKey& k) { return peers[i].public_key < k; });
    if (it != by_key.end() && peers[*it].public_key == key) return &peers[*it];
    return nullptr;
  }
  for (const auto& p : peers) {
    if (p.public_key == key) return &p;
  }
  return nullptr;
}

WgQuickParseResult parse_wgquick(std::string_view text, std::string_view file,
                                 std::string_view interface_name) {
  WgQuickParseResult result;
  result.interface.name = std::string(interface_name);
  Parser parser(file, result);
  for_each_line(text, [&](std::string_view line, std::size_t no) { parser.line(line, no); });
  parser.finish();
  auto& w = result.interface;
  w.by_key.resize(w.peers.size());
  std::iota(w.by_key.begin(), w.by_key.end(), std::uint32_t{0});
  std::sort(w.by_key.begin(), w.by_key.end(), [&w](std::uint32_t a, std::uint32_t b) {
    return w.peers[a].public_key < w.peers[b].public_key;
  });
  return result;
}

}  // namespace wgtrack::config
