#include "sinks/journal/journal_sink.h"

namespace wgtrack {

Result<std::unique_ptr<JournalSink>> JournalSink::create(JournalSinkOptions options, SinkLog log) {
  if (!is_valid_identifier(options.identifier))
    return Error(ErrorCode::kInvalidInput,
                 "identifier \"" + options.identifier +
                     "\": expected 1-32 characters of letters, digits, '_', '.', '-'");
  if (options.max_queue == 0)
    return Error(ErrorCode::kInvalidInput, "max_queue must be at least 1");
  Connector connector = [journal = options.journal_socket, syslog = options.syslog_socket] {
    return connect_journal(journal, syslog);
  };
  return std::make_unique<JournalSink>(std::move(options), std::move(connector), std::move(log));
}

JournalSink::JournalSink(JournalSinkOptions options, Connector connector, SinkLog log)
    : options_(std::move(options)), connector_(std::move(connector)), reporter_(std::move(log)) {
  connect();
}

void JournalSink::connect() {
  const std::string before = transport();
  journal_ = connector_ ? connector_() : nullptr;
  if (journal_) {
    warned_no_transport_ = false;
    if (transport() != before)
      reporter_.log(SinkLogLevel::kInfo, "journal sink: writing to " + journal_->describe());
  }
}

std::string JournalSink::transport() const { return journal_ ? journal_->describe() : "none"; }

void JournalSink::publish(const Event& event) {
  if (!journal_) {
    ++stats_.events_dropped;
    if (!warned_no_transport_) {
      warned_no_transport_ = true;
      reporter_.log(SinkLogLevel::kWarning, "journal sink: no journal (" + options_.journal_socket +
                                                ") and no syslog (" + options_.syslog_socket +
                                                "): events are dropped until a reload finds one");
    }
    return;
  }
  drain();
  send_or_queue(journal_entry(event, options_.identifier));
}

void JournalSink::send_or_queue(JournalEntry entry) {
  // Order matters to readers ("down" before "up"): nothing overtakes the queue.
  if (queue_.empty() && try_send(entry)) return;
  if (queue_.size() >= options_.max_queue) {
    ++stats_.events_dropped;
    if (!warned_overflow_) {
      warned_overflow_ = true;
      reporter_.log(SinkLogLevel::kWarning,
                    "journal sink: " + transport() + " is not keeping up; queue of " +
                        std::to_string(options_.max_queue) + " full, dropping events");
    }
    return;
  }
  queue_.push_back(std::move(entry));
}

bool JournalSink::try_send(const JournalEntry& entry) {
  auto r = journal_->send(entry);
  if (r.ok()) {
    ++stats_.events_written;
    reporter_.succeeded("journal sink: " + transport());
    return true;
  }
  if (r.error().code == ErrorCode::kTransient) return false;
  // Not deliverable (receiver gone, message too big): count it and move on.
  ++stats_.errors;
  ++stats_.events_dropped;
  reporter_.failed("journal sink: " + r.error().message);
  return true;
}

void JournalSink::drain() {
  while (journal_ && !queue_.empty()) {
    if (!try_send(queue_.front())) return;
    queue_.pop_front();
  }
  if (queue_.empty()) warned_overflow_ = false;
}

void JournalSink::flush() { drain(); }

void JournalSink::reopen() {
  connect();
  drain();
}

SinkStats JournalSink::stats() const {
  SinkStats s = stats_;
  s.degraded = !journal_ || reporter_.failing();
  return s;
}

}  // namespace wgtrack
