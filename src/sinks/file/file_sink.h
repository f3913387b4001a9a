// FileSink: events as JSON lines (event_json_line + "\n", one event per line, nothing a peer
// sends can split a line) appended to a file, or to stdout for path "-".
//
// Rotation by size, as early chouyu/wg_monitor's RotatingFileHandler (10 MB x 5; it leaves
// rotation to logrotate since 2.0.0): before a line that would take the file past max_size,
// PATH.(keep-1) -> PATH.keep (the oldest is dropped), ..., PATH.1 -> PATH.2, PATH -> PATH.1,
// and a new PATH is created. A line is never split across files; a single line longer than
// max_size gets a file of its own. keep = 0 just starts over.
// reopen() (SIGHUP) closes and reopens PATH, for logrotate's "create" mode.
//
// Errors (disk full, EACCES, a directory where the file was) are counted, reported once per
// streak, and never crash: the event is dropped, and the next event or reopen() tries again.
// A line cut short by a failed write is terminated before the next one, so a reader never sees
// two events glued together.
//
// Writes go straight to the file (O_APPEND: one write(2) per line, atomic against other
// appenders for regular files); no user-space buffer to lose. stdout is written the same way:
// it blocks if whoever reads our stdout stops reading (a terminal, or journald via
// StandardOutput=) - use a file or the journal sink where that matters.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>

#include "events/event_sink.h"

namespace wgtrack {

struct FileSinkOptions {
  std::string path;                            // "-" = stdout
  std::uint64_t max_size = 10u * 1024 * 1024;  // bytes; 0 = never rotate
  unsigned keep = 5;                           // rotated files kept: PATH.1 .. PATH.keep
  mode_t mode = 0640;                          // for a new file, before the umask
};

class FileSink final : public EventSink {
 public:
  static constexpr unsigned kMaxKeep = 100;

  // Validates (path not empty; its directory exists; keep <= kMaxKeep) and opens the file:
  // kNotFound for a missing directory, kPermissionDenied / kInvalidInput if it cannot be
  // opened for appending.
  static Result<std::unique_ptr<FileSink>> create(FileSinkOptions options, SinkLog log);
  ~FileSink() override;
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;

  void publish(const Event& event) override;
  void reopen() override;
  SinkStats stats() const override;

  const std::string& path() const { return options_.path; }
  std::uint64_t rotations() const { return rotations_; }

 private:
  FileSink(FileSinkOptions options, SinkLog log);

  Result<void> open();
  void close();
  Result<void> rotate();
  Result<void> write_all(std::string_view data);
  bool is_stdout() const { return options_.path == "-"; }

  FileSinkOptions options_;
  FailureReporter reporter_;
  int fd_ = -1;
  std::uint64_t size_ = 0;     // of the open file, as far as we know
  bool partial_line_ = false;  // the last write stopped mid-line
  std::uint64_t rotations_ = 0;
  SinkStats stats_;
};

}  // namespace wgtrack
