#include "http_client/retry_backoff.h"

#include <algorithm>

namespace wgtrack {

std::chrono::milliseconds RetryBackoff::delay(std::uint32_t attempt, double jitter) const {
  jitter = std::clamp(jitter, 0.0, 1.0);
  std::int64_t nominal = std::max<std::int64_t>(initial.count(), 1);
  // Doubling stops at the cap: no overflow for any attempt number.
  for (std::uint32_t i = 1; i < attempt && nominal < max.count(); ++i) nominal *= 2;
  nominal = std::min<std::int64_t>(nominal, std::max(max.count(), std::int64_t{1}));
  const auto half = nominal / 2;
  return std::chrono::milliseconds(nominal - half +
                                   static_cast<std::int64_t>(static_cast<double>(half) * jitter));
}

}  // namespace wgtrack
