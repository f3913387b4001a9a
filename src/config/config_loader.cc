#include "config/config_loader.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "sys/errno_error.h"
#include "sys/unique_fd.h"

namespace wgtrack::config {
namespace {


void load_wgquick(ConfigResult& result) {
  const GeneralSettings& g = result.config.general;
  const std::string& dir = g.wireguard_config_dir;
  const std::string file = result.config.file;
  auto warn = [&](std::string where, std::string m) {
    result.diagnostics.push_back({Severity::kWarning, std::move(where), 0, std::move(m)});
  };
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    const int e = errno;
    if (e == ENOENT && !g.wireguard_config_dir_set) return;  // no wg-quick here: fine
    warn(file, "cannot read wireguard_config_dir " + sanitize(dir) + ": " + std::strerror(e) +
                   "; endpoint host names and peer names from wg-quick files are unavailable");
    return;
  }
  std::vector<std::string> names;
  while (const dirent* ent = ::readdir(d)) {
    const std::string_view n = ent->d_name;
    if (n.size() > 5 && n.ends_with(".conf")) names.emplace_back(n);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());

  const std::string prefix = dir.ends_with('/') ? dir : dir + "/";
  for (const auto& n : names) {
    const std::string path = prefix + n;
    const auto ifname = interface_name_from_path(n);
    if (!ifname) {
      warn(sanitize(path, 256), "skipped: '" + sanitize(n) +
                                    "' is not an interface name "
                                    "(wg-quick needs 1-15 of a-z A-Z 0-9 _ = + . -)");
      continue;
    }
    auto text = read_config_file(path);
    if (!text) {
      warn(sanitize(path, 256), "skipped: " + sanitize(text.error().message, 300));
      continue;
    }
    WgQuickParseResult parsed = parse_wgquick(*text, path, *ifname);
    result.config.wgquick.push_back(std::move(parsed.interface));
    for (auto& diag : parsed.diagnostics) result.diagnostics.push_back(std::move(diag));
  }
}

}  // namespace

Result<std::string> read_config_file(const std::string& path, std::size_t max_size) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; regular files ignore the flag.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return errno_error(errno, "cannot open " + path);
  UniqueFd guard(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0) return errno_error(errno, "cannot stat " + path);
  if (S_ISDIR(st.st_mode)) return errno_error(EISDIR, "cannot read " + path);
  if (!S_ISREG(st.st_mode)) {
    return Error(ErrorCode::kInvalidInput, "cannot read " + path + ": not a regular file");
  }
  if (static_cast<std::uint64_t>(st.st_size) > max_size) {
    return Error(ErrorCode::kInvalidInput,
                 "cannot read " + path + ": larger than " + std::to_string(max_size) + " bytes");
  }
  std::string out;
  out.resize(static_cast<std::size_t>(st.st_size));
  std::size_t got = 0;
  // The file may change size while we read: read until EOF, within the bound.
  for (;;) {
    if (got == out.size()) {
      if (out.size() >= max_size) break;
      out.resize(std::min(max_size, std::max<std::size_t>(4096, out.size() * 2)));
    }
    const ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_error(errno, "cannot read " + path);
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  out.resize(got);
  return out;
}

ConfigResult load_config(const std::string& path) {
  ConfigResult result;
  auto text = read_config_file(path);
  if (text) {
    result = parse_config(*text, path);
  } else if (text.error().code == ErrorCode::kNotFound) {
    result.config.file = path;
    result.diagnostics.push_back(
        {Severity::kWarning, path, 0,
         sanitize(text.error().message, 300) + "; using the built-in defaults"});
  } else {
    result.config.file = path;
    ++result.fatal_errors;
    result.diagnostics.push_back({Severity::kError, path, 0, sanitize(text.error().message, 300)});
    return result;  // no policy to apply: nothing more to learn
  }
  load_wgquick(result);
  return result;
}

}  // namespace wgtrack::config
