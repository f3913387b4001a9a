#include "daemon/notifier.h"

#include <systemd/sd-daemon.h>

namespace wgtrack {

// sd_notify returns <= 0 when there is no $NOTIFY_SOCKET or the send fails; neither is
// actionable for a monitor, and a failed watchdog ping shows up as a restart by systemd.
void SystemdNotifier::ready() { sd_notify(0, "READY=1"); }
void SystemdNotifier::reloading() { sd_notify(0, "RELOADING=1"); }
void SystemdNotifier::stopping() { sd_notify(0, "STOPPING=1"); }
void SystemdNotifier::watchdog() { sd_notify(0, "WATCHDOG=1"); }

void SystemdNotifier::status(const std::string& text) {
  std::string line = "STATUS=";
  for (char c : text) line += (c == '\n') ? ' ' : c;  // one line: a newline ends the field
  sd_notify(0, line.c_str());
}

std::optional<std::chrono::microseconds> SystemdNotifier::watchdog_period() const {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  return std::chrono::microseconds(usec / 2);
}

}  // namespace wgtrack
