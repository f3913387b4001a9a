#include "config/diagnostic.h"

#include <algorithm>

#include "core/utf8.h"

namespace wgtrack::config {

const char* to_string(Severity severity) {
  return severity == Severity::kError ? "error" : "warning";
}

std::string format_diagnostic(const Diagnostic& d) {
  std::string out = sanitize(d.file, 4096);
  if (d.line != 0) {
    if (!out.empty()) out += ':';
    out += std::to_string(d.line);
  }
  if (!out.empty()) out += ": ";
  out += to_string(d.severity);
  out += ": ";
  // The message was built from sanitized parts; sanitize again so that no caller-built
  // message can break the one-diagnostic-per-line contract.
  out += sanitize(d.message, 4096);
  return out;
}

std::string format_diagnostics(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) {
    out += format_diagnostic(d);
    out += '\n';
  }
  return out;
}

std::size_t count_errors(const std::vector<Diagnostic>& diagnostics) {
  return std::count_if(diagnostics.begin(), diagnostics.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

std::size_t count_warnings(const std::vector<Diagnostic>& diagnostics) {
  return diagnostics.size() - count_errors(diagnostics);
}

std::string sanitize(std::string_view text, std::size_t max_chars) {
  bool cut = false;
  if (text.size() > max_chars) {
    std::size_t n = max_chars;
    // Back up over UTF-8 continuation bytes so the cut falls between characters.
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    text = text.substr(0, n);
    cut = true;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size() + 3);
  std::size_t start = 0;  // of the current run of text that needs no escape
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != 0x7f) continue;
    append_valid_utf8(out, text.substr(start, i - start));
    start = i + 1;
    if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  append_valid_utf8(out, text.substr(start));
  if (cut) out += "...";
  return out;
}

}  // namespace wgtrack::config
