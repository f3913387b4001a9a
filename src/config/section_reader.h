// SectionReader: reads the keys of one raw section ([output:NAME], [http], [history]) with
// file:line diagnostics — errors name the key and value, keys nobody asked for are warnings.
// Shared by every layer that owns such a section (outputs, webhook, influx_http, HTTP server).
// Callers must not pass the values of secret keys to bad_value(): they would be quoted.
#pragma once

#include <initializer_list>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/diagnostic.h"
#include "config/durations.h"
#include "config/text.h"

namespace wgtrack::config {

class SectionReader {
 public:
  SectionReader(const OutputSection& s, std::vector<Diagnostic>& d) : s_(s), d_(d) {}

  const IniEntry* get(std::string_view key) {
    used_.insert(std::string(key));
    return s_.find(key);
  }
  void error(const IniEntry* e, const std::string& message) {
    d_.push_back({Severity::kError, s_.file, e ? e->line : s_.line, message});
    failed_ = true;
  }
  // "[output:NAME] type = T needs KEY = ..." at the section's line.
  void missing(std::string_view key, std::string_view form) {
    error(nullptr, label() + " needs " + std::string(key) + " = " + std::string(form));
  }
  // "[output:NAME] (type T)" or "[http]".
  std::string label() const {
    if (s_.type == s_.name) return "[" + s_.name + "]";
    return "[output:" + s_.name + "] (type " + s_.type + ")";
  }
  void bad_value(const IniEntry* e, std::string_view expected) {
    error(e, e->key + " = '" + sanitize(e->value) + "': expected " + std::string(expected));
  }
  // A warning for every own key that get() never asked for (`type` is always known).
  void warn_unknown(std::initializer_list<std::string_view> also_known = {}) {
    used_.insert("type");
    for (auto k : also_known) used_.insert(std::string(k));
    for (const auto& e : s_.entries) {
      if (!used_.count(e.key)) {
        d_.push_back(
            {Severity::kWarning, s_.file, e.line, "unknown key '" + e.key + "' in " + label()});
      }
    }
  }

  // A positive duration ("10s", "500ms"); `allow_zero` also accepts 0.
  void duration(std::string_view key, std::chrono::milliseconds& out, bool allow_zero = false) {
    if (const auto* e = get(key)) {
      auto d = parse_duration(e->value);
      if (!d || (!allow_zero && d->count() <= 0))
        bad_value(e, "a duration like 10s");
      else
        out = *d;
    }
  }
  template <typename T>
  void count(std::string_view key, T& out, std::uint32_t min, std::uint32_t max) {
    if (const auto* e = get(key)) {
      auto v = parse_count(e->value, min, max);
      if (!v)
        error(e, e->key + " = '" + sanitize(e->value) + "': " + v.error().message);
      else
        out = static_cast<T>(*v);
    }
  }
  void boolean(std::string_view key, bool& out) {
    if (const auto* e = get(key)) {
      auto b = parse_bool(e->value);
      if (!b)
        bad_value(e, "true or false");
      else
        out = *b;
    }
  }

  bool failed() const { return failed_; }
  const OutputSection& section() const { return s_; }

 private:
  const OutputSection& s_;
  std::vector<Diagnostic>& d_;
  std::set<std::string> used_;
  bool failed_ = false;
};

}  // namespace wgtrack::config
