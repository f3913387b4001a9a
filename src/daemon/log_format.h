// The daemon's log lines: spdlog's pattern, with the finished line made valid UTF-8. Messages
// carry peer names, interface names and backend text that nobody checked; journald and most log
// shippers expect UTF-8 and may drop or mangle a line that is not.
#pragma once

#include <memory>
#include <string>

#include <spdlog/formatter.h>

namespace wgtrack {

// A formatter for spdlog::logger::set_formatter: `pattern` as set_pattern takes it, then
// every byte of the line that is not valid UTF-8 becomes U+FFFD. A valid line is left as the
// pattern formatter wrote it (no copy).
std::unique_ptr<spdlog::formatter> make_log_formatter(std::string pattern);

}  // namespace wgtrack
