// ExecSink: runs a command for each event (chouyu/wg_monitor's on-change-script), never through a
// shell: argv comes from split_command_line() once, at configuration time, and the event
// travels only in environment variables (exec_env.h).
//
// Each run: posix_spawn(3) (glibc uses clone(CLONE_VM|CLONE_VFORK): no copy of the daemon's
// memory) in its own process group, signals reset to default and unblocked, stdin /dev/null,
// stdout+stderr into a pipe whose first max_output_bytes are logged through SinkLog when the
// run ends (or /dev/null), every other descriptor closed. A run that outlives `timeout` gets
// SIGTERM, then SIGKILL after `kill_grace`, sent to its whole process group (a script's
// children too). Children are reaped asynchronously on the daemon's io_context through a pidfd
// (pidfd_open(2), Linux >= 5.3): no SIGCHLD handler, no blocking wait.
//
// At most max_running runs at once; further events wait in a FIFO of max_queue; beyond that
// they are dropped and counted, publish() never blocks. A run that cannot start (the program
// is gone, not executable), exits non-zero, dies of a signal or times out counts as an error;
// errors are logged once per streak (FailureReporter).
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <list>
#include <memory>
#include <string>
#include <vector>

#include "events/event_sink.h"
#include "sinks/exec/exec_env.h"

namespace wgtrack {

struct ExecSinkOptions {
  std::string command;  // split_command_line() rules; the program must be an absolute path
  std::chrono::milliseconds timeout = std::chrono::seconds(10);    // chouyu/wg_monitor: 10 s
  std::chrono::milliseconds kill_grace = std::chrono::seconds(2);  // SIGTERM -> SIGKILL
  std::size_t max_running = 4;
  std::size_t max_queue = 256;
  bool capture_output = true;               // false: stdout/stderr to /dev/null
  std::size_t max_output_bytes = 4096;      // logged per run; the rest is read and discarded
  std::string path_env = kExecDefaultPath;  // the child's PATH
};

class ExecSink final : public EventSink {
 public:
  // Validates: the command splits, its program exists, is a regular file and executable;
  // timeout, kill_grace > 0; max_running >= 1.
  static Result<std::unique_ptr<ExecSink>> create(boost::asio::io_context& io,
                                                  ExecSinkOptions options, SinkLog log);
  // Kills (SIGKILL, whole group) and reaps runs still going; queued events are dropped.
  ~ExecSink() override;
  ExecSink(const ExecSink&) = delete;
  ExecSink& operator=(const ExecSink&) = delete;

  void publish(const Event& event) override;
  SinkStats stats() const override;

  std::size_t running() const { return running_.size(); }
  std::size_t queued() const { return queue_.size(); }
  std::uint64_t timeouts() const { return timeouts_; }
  const std::vector<std::string>& argv() const { return argv_; }

 private:
  struct Run;
  ExecSink(boost::asio::io_context& io, ExecSinkOptions options, std::vector<std::string> argv,
           SinkLog log);

  void start(std::vector<std::string> env);
  void read_output(const std::shared_ptr<Run>& run);
  void arm_timeout(const std::shared_ptr<Run>& run);
  void finished(const std::shared_ptr<Run>& run);
  void drain_output(Run& run);
  void log_output(const Run& run);

  boost::asio::io_context& io_;
  ExecSinkOptions options_;
  std::vector<std::string> argv_;
  FailureReporter reporter_;
  std::list<std::shared_ptr<Run>> running_;
  std::deque<std::vector<std::string>> queue_;  // environments of events waiting to run
  std::shared_ptr<int> alive_;  // handlers hold a weak_ptr: they outlive us in the io_context
  SinkStats stats_;
  std::uint64_t timeouts_ = 0;
  bool warned_overflow_ = false;
};

}  // namespace wgtrack
