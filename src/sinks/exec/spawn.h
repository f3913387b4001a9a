// spawn_process: the exec hook's process start, without a shell and without fork(2). The edge
// half of the exec sink; ExecSink schedules, times out and reaps what this starts.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "core/result.h"

namespace wgtrack {

struct SpawnedProcess {
  pid_t pid = -1;
  int pidfd = -1;      // pidfd_open(2): readable when the process exits; the caller closes it
  int output_fd = -1;  // non-blocking read end of its stdout+stderr pipe; -1 if not captured
};

// posix_spawn(3) of argv[0] (an absolute path) with exactly `env` as its environment, in a new
// process group, all signals at their defaults and unblocked, stdin /dev/null, stdout and
// stderr into one pipe (capture_output) or /dev/null, and no other descriptor open.
// Errors: the errno of the failed exec (ENOENT, EACCES, ENOEXEC...) mapped to an Error whose
// message is strerror's; the process is then never left behind. Needs Linux >= 5.3 (pidfd).
Result<SpawnedProcess> spawn_process(const std::vector<std::string>& argv,
                                     const std::vector<std::string>& env, bool capture_output);

// Sends `sig` to the process group led by `pid` (a hook's children too), or to `pid` alone if
// it has no group of its own. The caller must not have reaped `pid` yet (so it is not reused).
void signal_process_group(pid_t pid, int sig);

}  // namespace wgtrack
