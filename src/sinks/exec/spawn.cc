#include "sinks/exec/spawn.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "sys/unique_fd.h"

namespace wgtrack {
namespace {

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

Error spawn_error(int err) {
  std::string m = std::strerror(err);
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return Error(ErrorCode::kNotFound, std::move(m));
    case EACCES:
    case EPERM:
      return Error(ErrorCode::kPermissionDenied, std::move(m));
    case ENOEXEC:
      return Error(ErrorCode::kInvalidInput, std::move(m));
    case ENOSYS:
      return Error(ErrorCode::kUnsupported, m + " (pidfd_open needs Linux 5.3)");
    default:
      return Error(ErrorCode::kTransient, std::move(m));
  }
}

}  // namespace

void signal_process_group(pid_t pid, int sig) {
  if (::kill(-pid, sig) != 0) ::kill(pid, sig);
}

Result<SpawnedProcess> spawn_process(const std::vector<std::string>& argv_in,
                                     const std::vector<std::string>& env_in, bool capture_output) {
  UniqueFd read_end, write_end;
  if (capture_output) {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) return spawn_error(errno);
    read_end.reset(p[0]);
    write_end.reset(p[1]);
    // Only our end is non-blocking: a child writing to a full pipe should wait, not fail.
    ::fcntl(read_end.get(), F_SETFL, ::fcntl(read_end.get(), F_GETFL) | O_NONBLOCK);
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  if (capture_output) {
    posix_spawn_file_actions_adddup2(&actions, write_end.get(), STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, write_end.get(), STDERR_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  }
  // Anything the daemon opened without O_CLOEXEC (or a library did) stays out of the hook
  // (glibc >= 2.34).
  posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);

  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  // The daemon may ignore SIGPIPE or block signals for asio: the hook starts with defaults.
  for (int sig = 1; sig < SIGRTMIN; ++sig) {
    if (sig != SIGKILL && sig != SIGSTOP) sigaddset(&defaults, sig);
  }
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setpgroup(&attr, 0);  // its own group: a timeout reaches its children too
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);

  std::vector<std::string> argv = argv_in;
  std::vector<std::string> env = env_in;
  auto c_argv = c_strings(argv);
  auto c_env = c_strings(env);
  pid_t pid = -1;
  // glibc's posix_spawn uses clone(CLONE_VM | CLONE_VFORK) and reports a failed exec as its
  // return value, so a missing program is an error here, not a child exiting 127.
  const int rc = ::posix_spawn(&pid, argv[0].c_str(), &actions, &attr, c_argv.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  write_end.reset();  // the child has its copy; EOF comes when it (and its children) close it
  if (rc != 0) return spawn_error(rc);

  // Until we reap it, the pid cannot be reused, so the pidfd names exactly our child.
  UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  if (pidfd.get() < 0) {
    const int err = errno;
    signal_process_group(pid, SIGKILL);
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    return spawn_error(err);
  }
  return SpawnedProcess{pid, pidfd.release(), read_end.release()};
}

}  // namespace wgtrack
