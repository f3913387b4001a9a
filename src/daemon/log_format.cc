#include "daemon/log_format.h"

#include <string_view>

#include <spdlog/pattern_formatter.h>

#include "core/utf8.h"

namespace wgtrack {
namespace {

class Utf8LineFormatter final : public spdlog::formatter {
 public:
  explicit Utf8LineFormatter(std::string pattern)
      : pattern_(pattern), inner_(std::move(pattern)) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const std::size_t start = dest.size();
    inner_.format(msg, dest);
    const std::string_view line(dest.data() + start, dest.size() - start);
    if (is_valid_utf8(line)) return;
    std::string repaired;
    append_valid_utf8(repaired, line);
    dest.resize(start);
    dest.append(repaired.data(), repaired.data() + repaired.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<Utf8LineFormatter>(pattern_);
  }

 private:
  std::string pattern_;
  spdlog::pattern_formatter inner_;
};

}  // namespace

std::unique_ptr<spdlog::formatter> make_log_formatter(std::string pattern) {
  return std::make_unique<Utf8LineFormatter>(std::move(pattern));
}

}  // namespace wgtrack
