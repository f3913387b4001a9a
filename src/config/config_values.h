// Per-key value validation for build_config (internal to src/config). Each *_value function
// returns false if the entry's key is not one of its keys; otherwise it stores the parsed value
// or reports why it is bad through the SectionContext.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"

namespace wgtrack::config {

// Diagnostics for one section. Errors in a skippable ([peer:…]) section say the section is
// skipped and do not count as fatal.
class SectionContext {
 public:
  SectionContext(std::string_view file, std::string_view section, bool skippable,
                 ConfigResult& out);

  const std::string& section_text() const { return section_; }  // sanitized name
  void error(std::size_t line, std::string message);
  void warning(std::size_t line, std::string message);
  // "invalid value 'V' for 'K' in [S]: expected EXPECTED (REASON)".
  void bad_value(const IniEntry& e, std::string_view expected, std::string_view reason = {});
  // A bad boolean is a warning and yields nullopt (the value is ignored).
  std::optional<bool> boolean(const IniEntry& e);
  std::size_t errors() const { return errors_; }

  // The handshake_stale/handshake_down lines seen here, for the stale <= down check.
  void saw_order_key(std::size_t line) { order_line_ = std::max(order_line_, line); }
  std::size_t order_line() const { return order_line_; }
  void order_error(const Thresholds& effective);

 private:
  std::string file_;
  std::string section_;
  bool skippable_;
  ConfigResult& out_;
  std::size_t errors_ = 0;
  std::size_t order_line_ = 0;
};

std::string order_message(const Thresholds& t, std::string_view where);

bool general_value(SectionContext& ctx, const IniEntry& e, GeneralSettings& out);
bool threshold_value(SectionContext& ctx, const IniEntry& e, ThresholdOverrides& out);
bool peer_value(SectionContext& ctx, const IniEntry& e, PeerSection& out);

}  // namespace wgtrack::config
