#include "sinks/history/uptime.h"

#include <algorithm>

namespace wgtrack {

StatusClass classify_status(std::string_view status) {
  if (status == "up" || status == "idle" || status == "stale") return StatusClass::kUp;
  if (status == "down") return StatusClass::kDown;
  if (status == "never") return StatusClass::kNever;
  return StatusClass::kAbsent;
}

const char* to_string(OutageEnd end) {
  switch (end) {
    case OutageEnd::kRecovered:
      return "recovered";
    case OutageEnd::kRemoved:
      return "removed";
    case OutageEnd::kDaemonStopped:
      return "daemon_stopped";
    case OutageEnd::kOngoing:
      return "ongoing";
  }
  return "?";
}

namespace {

class Accounting {
 public:
  Accounting(PeerUptime& out, TimeWindow window) : out_(out), window_(window) {}

  // The peer is in `cls` from `from` on (from = a point's time or a span start).
  void enter(StatusClass cls, WallTime from, const std::string& reason, bool carried) {
    if (cls == StatusClass::kDown && !open_) {
      open_ = Outage{.start = from,
                     .started_before_window = carried && from == window_.start,
                     .reason = reason};
    } else if (cls != StatusClass::kDown && open_) {
      close(from, cls == StatusClass::kAbsent ? OutageEnd::kRemoved : OutageEnd::kRecovered);
    }
    cls_ = cls;
    since_ = from;
  }
  // Counts [since_, to) in the current class.
  void until(WallTime to) {
    if (to <= since_) return;
    const auto d = to - since_;
    switch (cls_) {
      case StatusClass::kUp:
        out_.up += d;
        break;
      case StatusClass::kDown:
        out_.down += d;
        break;
      case StatusClass::kNever:
        out_.never += d;
        break;
      case StatusClass::kAbsent:
        out_.absent += d;
        break;
    }
    since_ = to;
  }
  void end_span(WallTime at) {
    until(at);
    if (open_) close(at, at >= window_.end ? OutageEnd::kOngoing : OutageEnd::kDaemonStopped);
  }

 private:
  void close(WallTime at, OutageEnd kind) {
    open_->end = at;
    open_->end_kind = kind;
    out_.outages.push_back(std::move(*open_));
    open_.reset();
  }

  PeerUptime& out_;
  TimeWindow window_;
  StatusClass cls_ = StatusClass::kAbsent;
  WallTime since_{};
  std::optional<Outage> open_;
};

}  // namespace

PeerUptime compute_uptime(const std::vector<StatusPoint>& points,
                          const std::vector<AliveSpan>& alive, TimeWindow window) {
  PeerUptime out;
  if (window.end <= window.start) return out;
  std::chrono::nanoseconds alive_total{0};
  Accounting acc(out, window);
  std::size_t p = 0;
  for (const AliveSpan& span : alive) {
    const WallTime a = std::max(span.start, window.start);
    const WallTime b = std::min(span.end, window.end);
    if (b <= a) continue;
    alive_total += b - a;
    // The state at `a`: the last point of this run at or before it.
    while (p < points.size() && points[p].at < span.start) ++p;
    const StatusPoint* carried = nullptr;
    while (p < points.size() && points[p].at <= a) carried = &points[p++];
    if (carried) {
      acc.enter(classify_status(carried->status), a, carried->reason, carried->at < a);
    } else {
      acc.enter(StatusClass::kAbsent, a, "", false);
    }
    for (; p < points.size() && points[p].at < b; ++p) {
      acc.until(points[p].at);
      acc.enter(classify_status(points[p].status), points[p].at, points[p].reason, false);
    }
    acc.end_span(b);
  }
  out.unknown = (window.end - window.start) - alive_total;
  const auto known = out.up + out.down;
  if (known.count() > 0) {
    out.availability = std::chrono::duration<double>(out.up) / std::chrono::duration<double>(known);
  }
  return out;
}

}  // namespace wgtrack
