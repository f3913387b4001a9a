// The only file I/O of the configuration layer: reads wgtrack.conf and the wg-quick files and
// hands the text to the pure parsers. Never resolves names; never blocks: files are opened
// O_NONBLOCK and must be regular files (a FIFO or device in /etc/wireguard is skipped), and
// their size is bounded.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "config/config.h"
#include "core/result.h"

namespace wgtrack::config {

inline constexpr std::string_view kDefaultConfigPath = "/etc/wgtrack.conf";
inline constexpr std::size_t kMaxConfigFileSize = 16 * 1024 * 1024;

// Loads `path` (wgtrack.conf), then every "*.conf" of general.wireguard_config_dir (sorted by
// name, one WgQuickInterface each, in Config::wgquick). Diagnostics of all files, in that order.
//   - wgtrack.conf missing: built-in defaults + a warning (line 0); unreadable (permissions, a
//     directory, not a regular file, too large): an error, not ok().
//   - wireguard_config_dir missing: a warning if the file set it, silence for the default;
//     unreadable directory or file, or a file name that is not an interface name: a warning,
//     the rest are still read. wg-quick problems never make the result not ok().
ConfigResult load_config(const std::string& path);

// Reads a whole regular file without blocking (exposed for tests and the CLI).
// kNotFound, kPermissionDenied, kInvalidInput (not a regular file, too large), kTransient (I/O).
Result<std::string> read_config_file(const std::string& path,
                                     std::size_t max_size = kMaxConfigFileSize);

}  // namespace wgtrack::config
