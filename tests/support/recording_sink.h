// RecordingSink: an EventSink that keeps every event, reopen() and flush() call, for tests of
// the bus and of anything that publishes. The recording lives in a shared Recording, so a test
// can hand the sink to an owner (EventBus::add) and still read what it got.
#pragma once

#include <memory>
#include <vector>

#include "events/event_sink.h"

namespace wgtrack::testing {

class RecordingSink final : public EventSink {
 public:
  struct Recording {
    std::vector<Event> events;
    int reopens = 0;
    int flushes = 0;
    SinkStats stats;  // tests may set what stats() reports
  };

  RecordingSink() : recording_(std::make_shared<Recording>()) {}
  explicit RecordingSink(std::shared_ptr<Recording> recording) : recording_(std::move(recording)) {}

  void publish(const Event& event) override {
    recording_->events.push_back(event);
    ++recording_->stats.events_written;
  }
  void reopen() override { ++recording_->reopens; }
  void flush() override { ++recording_->flushes; }
  SinkStats stats() const override { return recording_->stats; }

  const std::shared_ptr<Recording>& recording() const { return recording_; }

 private:
  std::shared_ptr<Recording> recording_;
};

}  // namespace wgtrack::testing
