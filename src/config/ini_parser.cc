#include "config/ini_parser.h"

#include <unordered_map>

#include "config/text.h"

namespace wgtrack::config {
namespace {

// Where an inline comment starts: '#' or ';' preceded by whitespace (configparser's
// inline_comment_prefixes rule, so "pass#word" and URLs with ';' survive).
std::size_t inline_comment(std::string_view s) {
  for (std::size_t i = 1; i < s.size(); ++i) {
    if ((s[i] == '#' || s[i] == ';') && (s[i - 1] == ' ' || s[i - 1] == '\t')) return i;
  }
  return std::string_view::npos;
}

// Messages about a line never quote its value: it may be a password, a token or a secret.
// A bad section header is quoted up to its first '=' (a header holds no value).
std::string_view header_text(std::string_view s) { return s.substr(0, s.find('=')); }

// "control character \x01 at column 17 in the value of 'password'": where, not what.
std::string control_message(std::string_view raw, std::string_view s) {
  std::size_t at = 0;
  while (!has_control(s.substr(at, 1))) ++at;
  std::string m = "control character " + sanitize(s.substr(at, 1)) + " at column " +
                  std::to_string(s.data() - raw.data() + at + 1);
  const auto delim = s[0] == '[' ? std::string_view::npos : s.find_first_of("=:");
  if (delim < at) {
    const std::string_view key = trim(s.substr(0, delim));
    if (!key.empty()) m += " in the value of '" + sanitize(lower(key), 40) + "'";
  }
  return m;
}

class Parser {
 public:
  Parser(std::string_view file, IniParseResult& out) : file_(file), out_(out) {
    out_.document.file = std::string(file);
  }

  void line(std::string_view raw, std::size_t no) {
    line_no_ = no;
    const std::string_view s = trim(raw);
    if (s.empty() || s[0] == '#' || s[0] == ';') return;
    if (has_control(s)) return error(control_message(raw, s));
    if (s[0] == '[') return header(s);
    key_value(s);
  }

 private:
  void header(std::string_view s) {
    std::string_view inner = s;
    const auto c = inline_comment(s);
    if (c != std::string_view::npos) inner = trim(s.substr(0, c));
    if (inner.size() < 2 || inner.back() != ']') {
      current_ = kNone;
      after_bad_header_ = true;
      const auto close = inner.find(']');
      if (close != std::string_view::npos && close > 1) {  // "[http] password = ..."
        return error("text after '" + sanitize(inner.substr(0, close + 1), 40) +
                     "' (not shown): expected '[name]' alone on its line");
      }
      return error("malformed section header (no closing ']', not shown): expected '[name]'");
    }
    const std::string_view name = trim(inner.substr(1, inner.size() - 2));
    if (name.empty() || name.find_first_of("[]") != std::string_view::npos) {
      current_ = kNone;
      after_bad_header_ = true;
      return error("malformed section header '" + sanitize(header_text(s), 40) +
                   "': expected '[name]'");
    }
    auto& sections = out_.document.sections;
    const auto [it, inserted] = index_.try_emplace(std::string(name), sections.size());
    if (inserted) {
      sections.push_back(IniSection{std::string(name), line_no_, {}, 0});
      keys_.emplace_back();
    } else {
      warning("duplicate section [" + sanitize(name) + "] (first at line " +
              std::to_string(sections[it->second].line) + "): merged into the first");
    }
    current_ = it->second;
    after_bad_header_ = false;
  }

  void key_value(std::string_view s) {
    const auto delim = s.find_first_of("=:");
    if (delim == std::string_view::npos) {
      // "token s3cret" (a forgotten '='), or a wrapped value: the line may be a secret.
      return error("malformed line (not shown): expected 'key = value'");
    }
    const std::string key = lower(trim(s.substr(0, delim)));
    if (key.empty())
      return error("missing key before '" + std::string(1, s[delim]) +
                   "' (line not shown): expected 'key = value'");
    // Look for the inline comment before trimming: in "key = # note" the '#' follows the
    // space after the delimiter, so the value is empty; "key=#fff" keeps "#fff".
    std::string_view value = s.substr(delim + 1);
    const auto c = inline_comment(value);
    if (c != std::string_view::npos) value = value.substr(0, c);
    value = trim(value);

    if (current_ == kNone) {
      if (after_bad_header_) return;  // the header's error covers its keys
      return error("key '" + sanitize(key, 40) +
                   "' outside of any section: add a [section] "
                   "header above it (e.g. [general])");
    }
    auto& section = out_.document.sections[current_];
    const auto [it, inserted] = keys_[current_].try_emplace(key, section.entries.size());
    if (inserted) {
      section.entries.push_back(IniEntry{key, std::string(value), line_no_});
      return;
    }
    IniEntry& old = section.entries[it->second];
    warning("duplicate key '" + sanitize(key, 40) + "' in [" + sanitize(section.name) +
            "] (first at line " + std::to_string(old.line) + "): the last value wins");
    old.value = std::string(value);
    old.line = line_no_;
  }

  void error(std::string message) {
    if (current_ == kNone) {
      ++out_.document.orphan_errors;
    } else {
      ++out_.document.sections[current_].syntax_errors;
    }
    out_.diagnostics.push_back(
        {Severity::kError, std::string(file_), line_no_, std::move(message)});
  }

  void warning(std::string message) {
    out_.diagnostics.push_back(
        {Severity::kWarning, std::string(file_), line_no_, std::move(message)});
  }

  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::string_view file_;
  IniParseResult& out_;
  std::size_t current_ = kNone;
  bool after_bad_header_ = false;
  std::size_t line_no_ = 0;
  std::unordered_map<std::string, std::size_t> index_;              // section name -> index
  std::vector<std::unordered_map<std::string, std::size_t>> keys_;  // per section: key -> entry
};

}  // namespace

const IniEntry* IniSection::find(std::string_view key) const {
  for (const auto& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

const IniSection* IniDocument::find(std::string_view name) const {
  for (const auto& s : sections) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

IniParseResult parse_ini(std::string_view text, std::string_view file) {
  IniParseResult result;
  Parser parser(file, result);
  for_each_line(text, [&](std::string_view line, std::size_t no) { parser.line(line, no); });
  return result;
}

}  // namespace wgtrack::config
