#include "events/stats_summary.h"

namespace wgtrack {

void PeerStateCounts::add(std::string_view status) {
  if (status == "up")
    ++up;
  else if (status == "idle")
    ++idle;
  else if (status == "stale")
    ++stale;
  else if (status == "down")
    ++down;
  else if (status == "never")
    ++never;
  else if (status != "removed")
    ++other;
}

StatsSummary::StatsSummary(std::chrono::milliseconds interval)
    : interval_(interval.count() > 0 ? interval : std::chrono::milliseconds(0)) {}

void StatsSummary::record_cycle(const CycleStats& cycle) {
  ++checks_;
  if (!cycle.backend_ok) ++failures_;
  changes_ += cycle.changes;
  errors_ += cycle.errors;
  // A failed read says nothing about the peers: keep the last known breakdown.
  if (cycle.backend_ok) peers_ = cycle.peers;
}

void StatsSummary::set_interval(std::chrono::milliseconds interval) {
  interval_ = interval.count() > 0 ? interval : std::chrono::milliseconds(0);
}

void StatsSummary::start(TimePoint now) { last_ = now; }

std::optional<StatsSummary::TimePoint> StatsSummary::next_due() const {
  if (interval_.count() == 0 || !last_) return std::nullopt;
  return *last_ + interval_;
}

bool StatsSummary::poll_due(TimePoint now) {
  const auto due = next_due();
  if (!due || now < *due) return false;
  // Skip whole missed intervals: the next line is the first grid point after `now`.
  const auto missed = (now - *due) / interval_;
  last_ = *due + missed * interval_;
  return true;
}

std::string StatsSummary::summary_line() const {
  std::string s = "stats:";
  const auto field = [&s](std::string_view key, std::uint64_t v) {
    s += ' ';
    s += key;
    s += '=';
    s += std::to_string(v);
  };
  field("checks", checks_);
  field("failures", failures_);
  field("changes", changes_);
  field("errors", errors_);
  field("peers", peers_.total());
  field("up", peers_.up);
  field("idle", peers_.idle);
  field("stale", peers_.stale);
  field("down", peers_.down);
  field("never", peers_.never);
  if (peers_.other > 0) field("other", peers_.other);
  return s;
}

}  // namespace wgtrack
