#include "sinks/file/file_sink.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "events/sink_text.h"

namespace wgtrack {
namespace {

Error file_error(int err, const std::string& what) {
  std::string m = what + ": " + std::strerror(err);
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return Error(ErrorCode::kNotFound, std::move(m));
    case EACCES:
    case EPERM:
    case EROFS:
      return Error(ErrorCode::kPermissionDenied, std::move(m));
    case EISDIR:
      return Error(ErrorCode::kInvalidInput, std::move(m));
    default:
      return Error(ErrorCode::kTransient, std::move(m));
  }
}

std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string numbered(const std::string& path, unsigned n) { return path + "." + std::to_string(n); }

}  // namespace

Result<std::unique_ptr<FileSink>> FileSink::create(FileSinkOptions options, SinkLog log) {
  if (options.path.empty()) return Error(ErrorCode::kInvalidInput, "path is empty");
  if (options.keep > kMaxKeep)
    return Error(ErrorCode::kInvalidInput, "keep = " + std::to_string(options.keep) + ": at most " +
                                               std::to_string(kMaxKeep));
  if (options.path != "-") {
    const std::string dir = directory_of(options.path);
    struct stat st;
    if (::stat(dir.c_str(), &st) != 0) return file_error(errno, "directory " + dir);
    if (!S_ISDIR(st.st_mode)) return Error(ErrorCode::kNotFound, dir + " is not a directory");
  }
  std::unique_ptr<FileSink> sink(new FileSink(std::move(options), std::move(log)));
  if (auto r = sink->open(); !r) return r.error();
  return sink;
}

FileSink::FileSink(FileSinkOptions options, SinkLog log)
    : options_(std::move(options)), reporter_(std::move(log)) {}

FileSink::~FileSink() { close(); }

Result<void> FileSink::open() {
  close();
  if (is_stdout()) {
    fd_ = STDOUT_FILENO;
    size_ = 0;
    return success();
  }
  // Read access too, to look at the last byte: a line cut short (disk full, a crash, another
  // writer) is terminated before ours. A write-only file is fine, we just cannot look.
  constexpr int kFlags = O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY;
  int fd = ::open(options_.path.c_str(), O_RDWR | kFlags, options_.mode);
  if (fd < 0 && errno == EACCES)
    fd = ::open(options_.path.c_str(), O_WRONLY | kFlags, options_.mode);
  if (fd < 0) return file_error(errno, "open " + options_.path);
  fd_ = fd;
  size_ = 0;
  partial_line_ = false;
  struct stat st;
  // A FIFO or device (/dev/null, /dev/full) is fine to write to but never rotated.
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    size_ = static_cast<std::uint64_t>(st.st_size);
    char last = '\n';
    if (::pread(fd, &last, 1, st.st_size - 1) == 1) partial_line_ = last != '\n';
  }
  return success();
}

void FileSink::close() {
  if (fd_ > STDERR_FILENO) ::close(fd_);
  fd_ = -1;
}

Result<void> FileSink::rotate() {
  close();
  // Renames replace their target atomically, so PATH.keep (the oldest) is dropped by the
  // first rename; ENOENT just means that generation does not exist yet.
  for (unsigned i = options_.keep; i >= 2; --i) {
    const std::string from = numbered(options_.path, i - 1);
    if (::rename(from.c_str(), numbered(options_.path, i).c_str()) != 0 && errno != ENOENT)
      return file_error(errno, "rotate " + from);
  }
  const int r = options_.keep == 0
                    ? ::unlink(options_.path.c_str())
                    : ::rename(options_.path.c_str(), numbered(options_.path, 1).c_str());
  if (r != 0 && errno != ENOENT) return file_error(errno, "rotate " + options_.path);
  ++rotations_;
  return open();
}

Result<void> FileSink::write_all(std::string_view data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd_, data.data() + done, data.size() - done);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      size_ += static_cast<std::uint64_t>(n);
      partial_line_ = true;
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      return file_error(n < 0 ? errno : EIO, "write " + options_.path);
    }
  }
  partial_line_ = false;
  return success();
}

void FileSink::publish(const Event& event) {
  std::string line;
  append_event_json_line(line, event);
  line += '\n';

  Result<void> r = success();
  if (fd_ < 0) r = open();  // retry after an earlier failure
  if (r && !is_stdout() && options_.max_size > 0 && size_ > 0 &&
      size_ + line.size() > options_.max_size) {
    // Trust the file, not our count: logrotate's copytruncate may have emptied it.
    struct stat st;
    if (::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode))
      size_ = static_cast<std::uint64_t>(st.st_size);
    if (size_ > 0 && size_ + line.size() > options_.max_size) r = rotate();
  }
  if (r) {
    if (partial_line_) line.insert(line.begin(), '\n');
    r = write_all(line);
  }
  if (r) {
    ++stats_.events_written;
    reporter_.succeeded("file sink " + options_.path);
    return;
  }
  ++stats_.errors;
  ++stats_.events_dropped;
  reporter_.failed("file sink: " + r.error().message);
  // Reopen on the next event: the file may have been replaced, or space freed; open() sees
  // whether we left a cut line behind.
  close();
}

void FileSink::reopen() {
  if (auto r = open(); !r) {
    ++stats_.errors;
    reporter_.failed("file sink: " + r.error().message);
  }
}

SinkStats FileSink::stats() const {
  SinkStats s = stats_;
  s.degraded = fd_ < 0 || reporter_.failing();
  return s;
}

}  // namespace wgtrack
