#include "cli/human.h"

#include <cstdio>

namespace wgtrack {

std::string format_duration(std::chrono::seconds d) {
  struct Unit {
    std::int64_t secs;
    const char* name;
  };
  static constexpr Unit kUnits[] = {{365 * 86400, "year"}, {86400, "day"}, {3600, "hour"},
                                    {60, "minute"},        {1, "second"}};
  std::int64_t left = d.count();
  if (left <= 0) return "0 seconds";
  std::string out;
  for (const auto& u : kUnits) {
    const std::int64_t n = left / u.secs;
    if (n == 0) continue;
    left -= n * u.secs;
    if (!out.empty()) out += ", ";
    out += std::to_string(n);
    out += ' ';
    out += u.name;
    if (n != 1) out += 's';
  }
  return out;
}

std::string format_bytes(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return std::to_string(bytes) + " B";
  double v = static_cast<double>(bytes) / 1024.0;
  std::size_t u = 0;
  while (v >= 1024.0 && u + 1 < std::size(kUnits)) {
    v /= 1024.0;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f %s", v, kUnits[u]);
  return buf;
}

}  // namespace wgtrack
