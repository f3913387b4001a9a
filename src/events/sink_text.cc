#include "events/sink_text.h"

#include <cstdint>

#include "core/utf8.h"
#include "events/event_json.h"

namespace wgtrack {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_u_escape(std::string& out, std::uint32_t cp) {
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(cp >> shift) & 15];
}

bool is_line_terminator(std::uint32_t cp) { return cp == 0x85 || cp == 0x2028 || cp == 0x2029; }

}  // namespace

void append_event_json_line(std::string& out, const Event& event) {
  const std::size_t start = out.size();
  append_event_json(out, event);
  // The JSON formatter keeps valid UTF-8 as is; only these multi-byte terminators need work,
  // and they can only occur inside JSON strings, where a \u escape means the same text.
  std::size_t i = start;
  while (i < out.size()) {
    const auto c = static_cast<unsigned char>(out[i]);
    if (c != 0xc2 && c != 0xe2) {
      ++i;
      continue;
    }
    std::uint32_t cp = 0;
    const std::size_t n = decode_utf8(out, i, cp);
    if (n > 1 && is_line_terminator(cp)) {
      std::string esc;
      append_u_escape(esc, cp);
      out.replace(i, n, esc);
      i += esc.size();
    } else {
      i += n > 0 ? n : 1;
    }
  }
}

std::string event_json_line(const Event& event) {
  std::string s;
  append_event_json_line(s, event);
  return s;
}

std::string sanitize_text(std::string_view text, std::size_t max_bytes) {
  constexpr std::string_view kCut = "...";
  std::string out;
  std::string piece;
  std::size_t last_fit = 0;  // output length at the last character that leaves room for kCut
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t cp = 0;
    std::size_t n = decode_utf8(text, i, cp);
    piece.clear();
    if (n == 0) {
      piece = kReplacementCharacter;
      n = 1;
    } else if (cp == '\n') {
      piece = "\\n";
    } else if (cp == '\r') {
      piece = "\\r";
    } else if (cp == '\t') {
      piece = "\\t";
    } else if (cp < 0x20 || cp == 0x7f) {
      piece = "\\x";
      piece += kHex[cp >> 4];
      piece += kHex[cp & 15];
    } else if ((cp >= 0x80 && cp < 0xa0) || is_line_terminator(cp)) {
      append_u_escape(piece, cp);  // C1 controls (NEL among them) and U+2028/9
    } else {
      piece.assign(text.substr(i, n));
    }
    if (out.size() + piece.size() > max_bytes) {
      out.resize(last_fit);
      if (kCut.size() <= max_bytes) out += kCut;
      return out;
    }
    out += piece;
    if (out.size() + kCut.size() <= max_bytes) last_fit = out.size();
    i += n;
  }
  return out;
}

std::string short_key(const PublicKey& key) { return key.to_base64().substr(0, 8) + "…"; }

}  // namespace wgtrack
