// FakeNotifier: records what the daemon tells the service manager.
#pragma once

#include <string>
#include <vector>

#include "daemon/notifier.h"

namespace wgtrack::testing {

class FakeNotifier final : public Notifier {
 public:
  void ready() override { calls.push_back("READY=1"); }
  void reloading() override { calls.push_back("RELOADING=1"); }
  void stopping() override { calls.push_back("STOPPING=1"); }
  void status(const std::string& text) override { calls.push_back("STATUS=" + text); }
  void watchdog() override { calls.push_back("WATCHDOG=1"); }
  std::optional<std::chrono::microseconds> watchdog_period() const override { return period; }

  std::optional<std::chrono::microseconds> period;
  std::vector<std::string> calls;
};

}  // namespace wgtrack::testing
