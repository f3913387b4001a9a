// Our own INI reader for wgtrack.conf (libinih merges repeated sections and keeps `# comment`
// text in values; Boost.PropertyTree rejects duplicate sections: both lose data we must keep). Pure: text in, document + diagnostics out; never reads files.
//
// Syntax (a lenient subset of Python configparser, which towalink/wgtrack used):
//   [section]            section names are kept as written (trimmed); "[DEFAULT]" is just a name
//   key = value          also "key: value"; the first '=' or ':' splits; keys are lowercased
//   # comment, ; comment full-line comments (leading whitespace allowed)
//   key = v  # note      inline comments only where '#' or ';' follows whitespace
// Values are trimmed; an empty value is kept as "". A UTF-8 BOM and CRLF endings are accepted.
//
// Diagnostics (file:line each):
//   error:   a key line before any section; a malformed line or section header (quoted,
//            sanitized and cut); a control character in a line.
//   warning: a duplicate key in a section (the last value wins); a duplicate section (merged,
//            where configparser would refuse the file: we must not lose data).
// Lines after a malformed section header belong to no section and are dropped (the header's
// error already makes the file invalid).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostic.h"

namespace wgtrack::config {

struct IniEntry {
  std::string key;    // lowercased, trimmed
  std::string value;  // trimmed, inline comment removed
  std::size_t line = 0;
};

struct IniSection {
  std::string name;               // as written, trimmed
  std::size_t line = 0;           // of the first header with this name
  std::vector<IniEntry> entries;  // in order of first appearance; keys are unique
  // Syntax errors on lines inside this section (their diagnostics are in IniParseResult). The
  // config layer decides whether they invalidate the file or only this section.
  std::size_t syntax_errors = 0;

  const IniEntry* find(std::string_view key) const;  // key must be lowercase
};

struct IniDocument {
  std::string file;                  // for diagnostics of later layers
  std::vector<IniSection> sections;  // in order of first appearance; names are unique
  // Syntax errors outside any section (before the first header, bad headers and the lines
  // they swallow).
  std::size_t orphan_errors = 0;

  const IniSection* find(std::string_view name) const;  // exact name
};

struct IniParseResult {
  IniDocument document;
  std::vector<Diagnostic> diagnostics;
};

IniParseResult parse_ini(std::string_view text, std::string_view file);

}  // namespace wgtrack::config
