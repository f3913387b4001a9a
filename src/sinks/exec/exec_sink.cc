#include "sinks/exec/exec_sink.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <cstring>

#include "events/sink_text.h"
#include "sinks/exec/command_line.h"
#include "sinks/exec/spawn.h"

namespace wgtrack {

struct ExecSink::Run {
  explicit Run(boost::asio::io_context& io) : pidfd(io), output(io), timer(io) {}
  pid_t pid = -1;
  boost::asio::posix::stream_descriptor pidfd;   // readable when the child exits
  boost::asio::posix::stream_descriptor output;  // our end of the stdout/stderr pipe
  boost::asio::steady_timer timer;
  std::array<char, 1024> buffer;
  std::string captured;
  std::uint64_t discarded = 0;
  bool term_sent = false;
  bool kill_sent = false;
};

namespace {

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const char* name = ::sigabbrev_np(WTERMSIG(status));
    return name ? std::string("killed by SIG") + name
                : "killed by signal " + std::to_string(WTERMSIG(status));
  }
  return "ended (status " + std::to_string(status) + ")";
}

}  // namespace

Result<std::unique_ptr<ExecSink>> ExecSink::create(boost::asio::io_context& io,
                                                   ExecSinkOptions options, SinkLog log) {
  auto argv = split_command_line(options.command);
  if (!argv) return argv.error().context("command");
  const std::string& program = (*argv)[0];
  struct stat st;
  if (::stat(program.c_str(), &st) != 0)
    return Error(errno == ENOENT ? ErrorCode::kNotFound : ErrorCode::kPermissionDenied,
                 program + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return Error(ErrorCode::kInvalidInput, program + ": not a file");
  if (::access(program.c_str(), X_OK) != 0)
    return Error(ErrorCode::kPermissionDenied, program + ": not executable");
  if (options.timeout.count() <= 0 || options.kill_grace.count() <= 0)
    return Error(ErrorCode::kInvalidInput, "timeout and kill_grace must be positive");
  if (options.max_running == 0)
    return Error(ErrorCode::kInvalidInput, "max_running must be at least 1");
  return std::unique_ptr<ExecSink>(
      new ExecSink(io, std::move(options), std::move(*argv), std::move(log)));
}

ExecSink::ExecSink(boost::asio::io_context& io, ExecSinkOptions options,
                   std::vector<std::string> argv, SinkLog log)
    : io_(io),
      options_(std::move(options)),
      argv_(std::move(argv)),
      reporter_(std::move(log)),
      alive_(std::make_shared<int>(0)) {}

ExecSink::~ExecSink() {
  alive_.reset();
  stats_.events_dropped += queue_.size();
  for (auto& run : running_) {
    signal_process_group(run->pid, SIGKILL);
    // SIGKILL cannot be caught: the wait is short (unless the child is stuck in the kernel).
    while (::waitpid(run->pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    boost::system::error_code ignored;
    run->timer.cancel();
    run->pidfd.close(ignored);
    run->output.close(ignored);
  }
}

void ExecSink::publish(const Event& event) {
  auto env = exec_environment(event, options_.path_env);
  if (running_.size() < options_.max_running) {
    start(std::move(env));
    return;
  }
  if (queue_.size() >= options_.max_queue) {
    ++stats_.events_dropped;
    if (!warned_overflow_) {
      warned_overflow_ = true;
      reporter_.log(SinkLogLevel::kWarning,
                    "exec sink " + argv_[0] + ": " + std::to_string(options_.max_running) +
                        " runs busy and " + std::to_string(options_.max_queue) +
                        " events queued; dropping events");
    }
    return;
  }
  queue_.push_back(std::move(env));
}

void ExecSink::start(std::vector<std::string> env) {
  auto spawned = spawn_process(argv_, env, options_.capture_output);
  if (!spawned) {
    ++stats_.errors;
    ++stats_.events_dropped;
    reporter_.failed("exec sink: cannot run " + argv_[0] + ": " + spawned.error().message);
    return;
  }
  ++stats_.events_written;
  auto run = std::make_shared<Run>(io_);
  run->pid = spawned->pid;
  run->pidfd.assign(spawned->pidfd);
  if (spawned->output_fd >= 0) run->output.assign(spawned->output_fd);
  running_.push_back(run);

  run->pidfd.async_wait(
      boost::asio::posix::stream_descriptor::wait_read,
      [this, alive = std::weak_ptr<int>(alive_), run](const boost::system::error_code& ec) {
        if (ec || alive.expired()) return;
        finished(run);
      });
  if (run->output.is_open()) read_output(run);
  arm_timeout(run);
}

void ExecSink::read_output(const std::shared_ptr<Run>& run) {
  run->output.async_read_some(
      boost::asio::buffer(run->buffer), [this, alive = std::weak_ptr<int>(alive_), run](
                                            const boost::system::error_code& ec, std::size_t n) {
        if (alive.expired() || !run->output.is_open()) return;
        const std::size_t room =
            options_.max_output_bytes - std::min(options_.max_output_bytes, run->captured.size());
        run->captured.append(run->buffer.data(), std::min(n, room));
        run->discarded += n - std::min(n, room);
        if (!ec) read_output(run);  // EOF and errors end the reading; the pidfd ends the run
      });
}

void ExecSink::arm_timeout(const std::shared_ptr<Run>& run) {
  run->timer.expires_after(run->term_sent ? options_.kill_grace : options_.timeout);
  run->timer.async_wait(
      [this, alive = std::weak_ptr<int>(alive_), run](const boost::system::error_code& ec) {
        if (ec || alive.expired() || !run->pidfd.is_open()) return;
        if (!run->term_sent) {
          run->term_sent = true;
          ++timeouts_;
          signal_process_group(run->pid, SIGTERM);
          arm_timeout(run);
        } else {
          run->kill_sent = true;
          signal_process_group(run->pid, SIGKILL);
        }
      });
}

void ExecSink::drain_output(Run& run) {
  if (!run.output.is_open()) return;
  // The child is gone, but what it wrote last may still sit in the pipe.
  for (;;) {
    const ssize_t n = ::read(run.output.native_handle(), run.buffer.data(), run.buffer.size());
    if (n <= 0) break;
    const std::size_t got = static_cast<std::size_t>(n);
    const std::size_t room =
        options_.max_output_bytes - std::min(options_.max_output_bytes, run.captured.size());
    run.captured.append(run.buffer.data(), std::min(got, room));
    run.discarded += got - std::min(got, room);
  }
  boost::system::error_code ignored;
  run.output.close(ignored);  // a grandchild holding the pipe gets SIGPIPE, not our attention
}

void ExecSink::finished(const std::shared_ptr<Run>& run) {
  int status = 0;
  pid_t r;
  while ((r = ::waitpid(run->pid, &status, WNOHANG)) < 0 && errno == EINTR) {
  }
  if (r == 0) {  // spurious wakeup: not exited yet
    run->pidfd.async_wait(
        boost::asio::posix::stream_descriptor::wait_read,
        [this, alive = std::weak_ptr<int>(alive_), run](const boost::system::error_code& ec) {
          if (ec || alive.expired()) return;
          finished(run);
        });
    return;
  }
  run->timer.cancel();
  boost::system::error_code ignored;
  run->pidfd.close(ignored);
  drain_output(*run);
  log_output(*run);

  const std::string what = "exec sink " + argv_[0] + " [" + std::to_string(run->pid) + "]";
  if (run->term_sent) {
    ++stats_.errors;
    reporter_.failed(what + ": timed out after " + std::to_string(options_.timeout.count()) +
                     " ms, " + (run->kill_sent ? "killed (SIGKILL)" : "terminated (SIGTERM)"));
  } else if (r < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    ++stats_.errors;
    reporter_.failed(what + ": " + (r < 0 ? std::string("lost") : describe_status(status)));
  } else {
    reporter_.succeeded("exec sink " + argv_[0]);
  }

  running_.remove(run);
  while (!queue_.empty() && running_.size() < options_.max_running) {
    auto env = std::move(queue_.front());
    queue_.pop_front();
    if (queue_.empty()) warned_overflow_ = false;
    start(std::move(env));
  }
}

void ExecSink::log_output(const Run& run) {
  if (run.captured.empty()) return;
  const std::string prefix = "exec " + argv_[0] + " [" + std::to_string(run.pid) + "]: ";
  std::string_view rest = run.captured;
  while (!rest.empty()) {
    const std::size_t nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    if (!line.empty()) reporter_.log(SinkLogLevel::kInfo, prefix + sanitize_text(line));
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  if (run.discarded > 0)
    reporter_.log(SinkLogLevel::kInfo, prefix + "(" + std::to_string(run.discarded) +
                                           " more bytes of output discarded)");
}

SinkStats ExecSink::stats() const {
  SinkStats s = stats_;
  s.degraded = reporter_.failing();
  return s;
}

}  // namespace wgtrack
