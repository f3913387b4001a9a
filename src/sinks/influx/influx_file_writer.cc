#include "sinks/influx/influx_file_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sys/errno_error.h"
#include "sys/unique_fd.h"

namespace wgtrack {
namespace {

std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}


}  // namespace

Result<std::unique_ptr<InfluxFileWriter>> InfluxFileWriter::create(std::string path, SinkLog log) {
  if (path.empty() || path.back() == '/')
    return Error(ErrorCode::kInvalidInput, "influx_file needs a file name, got '" + path + "'");
  struct stat st;
  const std::string dir = directory_of(path);
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return Error(ErrorCode::kNotFound, "directory " + dir + " does not exist");
  return std::unique_ptr<InfluxFileWriter>(new InfluxFileWriter(std::move(path), std::move(log)));
}

Result<void> InfluxFileWriter::write(std::string_view content) {
  // Same directory as the target: rename(2) is atomic only within one file system.
  const std::string tmp = path_ + ".tmp." + std::to_string(::getpid());
  auto fail = [&](const std::string& what, int err) -> Result<void> {
    ::unlink(tmp.c_str());
    ++errors_;
    Error e = errno_error(err, what);
    reporter_.failed(path_ + ": " + e.message);
    return e;
  };
  UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd.valid()) return fail("cannot create " + tmp, errno);
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd.get(), content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write " + tmp, errno);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd.release()) != 0) return fail("cannot write " + tmp, errno);
  if (::rename(tmp.c_str(), path_.c_str()) != 0) return fail("cannot replace " + path_, errno);
  ++writes_;
  if (reporter_.failing()) reporter_.succeeded(path_);
  return success();
}

}  // namespace wgtrack
