// JournalSink: events to the system log with structured fields (journal_format.h), through the
// Journal seam. Transport: the journal, else syslog on /dev/log, else none: the sink is then
// degraded, drops every event (counted) and warns once; reopen() (SIGHUP) looks again.
// A receiver that is slow (EAGAIN) gets the entries later from a bounded queue, drained on the
// next publish() or flush() (the daemon flushes each cycle); overflow is dropped and counted.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "events/event_sink.h"
#include "sinks/journal/journal.h"

namespace wgtrack {

struct JournalSinkOptions {
  std::string identifier = "wgtrack";  // SYSLOG_IDENTIFIER and the syslog tag
  std::string journal_socket = kJournalSocketPath;
  std::string syslog_socket = kSyslogSocketPath;
  std::size_t max_queue = 1024;  // entries waiting for a slow receiver
};

class JournalSink final : public EventSink {
 public:
  // Connects to a transport; returns nullptr when there is none (not an error).
  using Connector = std::function<std::unique_ptr<Journal>()>;

  // Validates the options (identifier per is_valid_identifier, max_queue >= 1) and connects
  // with connect_journal(). No transport is not an error: the sink starts degraded.
  static Result<std::unique_ptr<JournalSink>> create(JournalSinkOptions options, SinkLog log);
  // The seam: tests pass a connector that returns a fake Journal.
  JournalSink(JournalSinkOptions options, Connector connector, SinkLog log);

  void publish(const Event& event) override;
  void reopen() override;
  void flush() override;
  SinkStats stats() const override;

  // "journal /run/...", "syslog /dev/log" or "none".
  std::string transport() const;
  std::size_t queued() const { return queue_.size(); }

 private:
  void connect();
  void send_or_queue(JournalEntry entry);
  void drain();
  // Sends one entry; false when the receiver is busy (the entry is still to be sent).
  bool try_send(const JournalEntry& entry);

  JournalSinkOptions options_;
  Connector connector_;
  FailureReporter reporter_;
  std::unique_ptr<Journal> journal_;
  std::deque<JournalEntry> queue_;
  SinkStats stats_;
  bool warned_no_transport_ = false;
  bool warned_overflow_ = false;
};

}  // namespace wgtrack
