#include "sinks/journal/journal.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wgtrack {
namespace {

Error socket_error(int err, const std::string& what) {
  std::string m = what + ": " + std::strerror(err);
  switch (err) {
    case ENOENT:
    case ECONNREFUSED:
    case ENOTCONN:
      return Error(ErrorCode::kNotFound, std::move(m));
    case EACCES:
    case EPERM:
      return Error(ErrorCode::kPermissionDenied, std::move(m));
    case EAGAIN:
    case ENOBUFS:
      return Error(ErrorCode::kTransient, std::move(m));
    case EMSGSIZE:
      return Error(ErrorCode::kInvalidInput, std::move(m));
    default:
      return Error(ErrorCode::kTransient, std::move(m));
  }
}

// A connected, non-blocking AF_UNIX datagram socket. Reconnects once when the receiver went
// away and came back (journald or rsyslog restarted: our old connection then gets
// ECONNREFUSED although a new socket exists at the path).
class UnixDatagram {
 public:
  explicit UnixDatagram(std::string path) : path_(std::move(path)) {}
  ~UnixDatagram() { close(); }
  UnixDatagram(const UnixDatagram&) = delete;
  UnixDatagram& operator=(const UnixDatagram&) = delete;

  const std::string& path() const { return path_; }

  Result<void> connect() {
    close();
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path_.empty() || path_.size() >= sizeof addr.sun_path)
      return Error(ErrorCode::kInvalidInput, "bad socket path: " + path_);
    std::memcpy(addr.sun_path, path_.c_str(), path_.size() + 1);
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd_ < 0) return socket_error(errno, "socket");
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
      const int err = errno;
      close();
      return socket_error(err, path_);
    }
    return success();
  }

  Result<void> send(std::string_view datagram) {
    for (int attempt = 0;; ++attempt) {
      if (fd_ < 0) {
        if (auto c = connect(); !c) return c.error();
      }
      if (::send(fd_, datagram.data(), datagram.size(), MSG_DONTWAIT | MSG_NOSIGNAL) >= 0)
        return success();
      const int err = errno;
      if (attempt == 0 && (err == ECONNREFUSED || err == ENOTCONN || err == ECONNRESET)) {
        close();
        continue;
      }
      // A full receiver queue is EAGAIN on unix datagram sockets (net.unix.max_dgram_qlen).
      return socket_error(err, "send to " + path_);
    }
  }

 private:
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  std::string path_;
  int fd_ = -1;
};

class NativeJournal final : public Journal {
 public:
  explicit NativeJournal(std::string path) : socket_(std::move(path)) {}
  Result<void> connect() { return socket_.connect(); }
  Result<void> send(const JournalEntry& entry) override {
    return socket_.send(encode_journal_native(entry));
  }
  std::string describe() const override { return "journal " + socket_.path(); }

 private:
  UnixDatagram socket_;
};

class SyslogJournal final : public Journal {
 public:
  explicit SyslogJournal(std::string path) : socket_(std::move(path)), pid_(::getpid()) {
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) == 0) host_ = host;
    // RFC 3164 §4.1.2: HOSTNAME has no domain part and no spaces.
    host_ = host_.substr(0, host_.find_first_of(". "));
  }
  Result<void> connect() { return socket_.connect(); }
  Result<void> send(const JournalEntry& entry) override {
    const std::string* message = entry.find("MESSAGE");
    const std::string* priority = entry.find("PRIORITY");
    const std::string* ident = entry.find("SYSLOG_IDENTIFIER");
    const int severity = priority && priority->size() == 1 ? (*priority)[0] - '0' : 5;
    return socket_.send(format_syslog_line(
        severity, std::chrono::system_clock::now(), host_, ident ? *ident : "wgtrack", pid_,
        message ? std::string_view(*message) : std::string_view()));
  }
  std::string describe() const override { return "syslog " + socket_.path(); }

 private:
  UnixDatagram socket_;
  std::string host_;
  long pid_;
};

}  // namespace

Journal::~Journal() = default;

Result<std::unique_ptr<Journal>> open_native_journal(const std::string& path) {
  auto j = std::make_unique<NativeJournal>(path);
  if (auto c = j->connect(); !c) return c.error();
  return std::unique_ptr<Journal>(std::move(j));
}

Result<std::unique_ptr<Journal>> open_syslog(const std::string& path) {
  auto j = std::make_unique<SyslogJournal>(path);
  if (auto c = j->connect(); !c) return c.error();
  return std::unique_ptr<Journal>(std::move(j));
}

std::unique_ptr<Journal> connect_journal(const std::string& journal_path,
                                         const std::string& syslog_path) {
  if (!journal_path.empty()) {
    if (auto j = open_native_journal(journal_path); j.ok()) return std::move(*j);
  }
  if (!syslog_path.empty()) {
    if (auto s = open_syslog(syslog_path); s.ok()) return std::move(*s);
  }
  return nullptr;
}

}  // namespace wgtrack
