// Human-readable renderings shared by the CLI views.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace wgtrack {

// "1 day, 2 hours, 3 minutes, 4 seconds" (wg(8) style, zero units omitted); "0 seconds" for 0.
std::string format_duration(std::chrono::seconds d);
// "512 B", "1.50 KiB", "3.21 GiB" (binary units, two decimals, as wg(8)).
std::string format_bytes(std::uint64_t bytes);

}  // namespace wgtrack
