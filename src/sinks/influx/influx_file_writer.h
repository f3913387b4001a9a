// InfluxFileWriter: towalink/wgtrack's Influx output transport. Each cycle the whole file is
// replaced atomically (written to a temporary file in the same directory, then renamed over
// the target), so Telegraf's inputs.file never reads a half-written file. Write errors are
// values, reported once per streak through the SinkLog, and counted.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "events/event_sink.h"

namespace wgtrack {

class InfluxFileWriter {
 public:
  // Validates that the target's directory exists; the file itself is created on first write.
  static Result<std::unique_ptr<InfluxFileWriter>> create(std::string path, SinkLog log);

  Result<void> write(std::string_view content);

  const std::string& path() const { return path_; }
  std::uint64_t writes() const { return writes_; }
  std::uint64_t errors() const { return errors_; }

 private:
  InfluxFileWriter(std::string path, SinkLog log)
      : path_(std::move(path)), reporter_(std::move(log)) {}

  std::string path_;
  FailureReporter reporter_;
  std::uint64_t writes_ = 0;
  std::uint64_t errors_ = 0;
};

}  // namespace wgtrack
