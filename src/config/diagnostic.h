// Diagnostic: one finding about a configuration file, located by file and line, for
// `wgtrack check-config`, the daemon's log and SIGHUP reload decisions.
//
// Messages name the section, the key, the bad value (sanitized) and the expected form. They never
// contain a private or preshared key: parsers that see secrets leave their values out.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace wgtrack::config {

enum class Severity { kError, kWarning };

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string file;      // as given to the parser/loader ("" when the text has no file)
  std::size_t line = 0;  // 1-based; 0 = the whole file
  std::string message;

  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

const char* to_string(Severity severity);

// "FILE:LINE: error: message" ("FILE: warning: message" when line is 0, "LINE: ..." without a
// file), one line, no trailing newline.
std::string format_diagnostic(const Diagnostic& d);
// One formatted diagnostic per line, each ending in '\n'; "" for none.
std::string format_diagnostics(const std::vector<Diagnostic>& diagnostics);

std::size_t count_errors(const std::vector<Diagnostic>& diagnostics);
std::size_t count_warnings(const std::vector<Diagnostic>& diagnostics);

// Makes untrusted text safe to quote in a message: control characters and DEL become escapes
// (\t, \r, \n, \xNN), and the result is cut to at most `max_chars` input bytes, followed by
// "..." when cut. Valid UTF-8 is kept (names stay readable) and bytes that are not become
// U+FFFD, so a message is valid UTF-8 whatever the file held; the cut never splits a
// multi-byte sequence.
std::string sanitize(std::string_view text, std::size_t max_chars = 80);

}  // namespace wgtrack::config
