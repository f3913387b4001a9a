// Notifier: the service manager seam (systemd's sd_notify protocol). The real one speaks to
// $NOTIFY_SOCKET and is a no-op when that is unset (foreground runs); tests record the calls.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace wgtrack {

class Notifier {
 public:
  virtual ~Notifier() = default;
  virtual void ready() = 0;                        // READY=1: first cycle done
  virtual void reloading() = 0;                    // RELOADING=1 (SIGHUP)
  virtual void stopping() = 0;                     // STOPPING=1
  virtual void status(const std::string& text) = 0;  // STATUS=<one line>
  virtual void watchdog() = 0;                     // WATCHDOG=1
  // Half of WatchdogSec when systemd runs a watchdog for us (the ping period); nullopt if not.
  virtual std::optional<std::chrono::microseconds> watchdog_period() const = 0;
};

class SystemdNotifier final : public Notifier {
 public:
  void ready() override;
  void reloading() override;
  void stopping() override;
  void status(const std::string& text) override;
  void watchdog() override;
  std::optional<std::chrono::microseconds> watchdog_period() const override;
};

}  // namespace wgtrack
