#include "sinks/influx/influx_line_buffer.h"

#include <cassert>

namespace wgtrack {

void InfluxLineBuffer::add(std::string_view text) {
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    if (!line.empty()) lines_.emplace_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  // The batch being sent or retried also takes room, so the bound holds for all lines kept.
  while (!lines_.empty() && lines_.size() + batch_count_ > max_lines_) {
    lines_.pop_front();
    ++lines_dropped_;
  }
}

std::optional<std::string> InfluxLineBuffer::start(MonoTime now) {
  if (in_flight_) return std::nullopt;
  if (batch_count_ == 0) {
    if (lines_.empty()) return std::nullopt;
    batch_.clear();
    while (!lines_.empty() && batch_count_ < batch_lines_) {
      batch_ += lines_.front();
      batch_ += '\n';
      lines_.pop_front();
      ++batch_count_;
    }
  } else if (retry_at_ && now < *retry_at_) {
    return std::nullopt;
  }
  in_flight_ = true;
  return batch_;
}

void InfluxLineBuffer::finish(Result result, MonoTime now, double jitter) {
  assert(in_flight_);
  in_flight_ = false;
  if (result == Result::kRetry) {
    ++failures_;
    retry_at_ = now + backoff_.delay(failures_, jitter);
    return;
  }
  if (result == Result::kDelivered)
    lines_written_ += batch_count_;
  else
    lines_discarded_ += batch_count_;
  failures_ = 0;
  retry_at_.reset();
  batch_.clear();
  batch_count_ = 0;
}

std::optional<MonoTime> InfluxLineBuffer::next_deadline(MonoTime now) const {
  if (in_flight_) return std::nullopt;
  if (batch_count_ > 0) return retry_at_ && *retry_at_ > now ? *retry_at_ : now;
  if (!lines_.empty()) return now;
  return std::nullopt;
}

}  // namespace wgtrack
