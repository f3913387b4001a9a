#include "wireguard/uapi_backend.h"

#include <dirent.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "sys/errno_error.h"
#include "sys/unique_fd.h"
#include "wireguard/uapi_codec.h"
#include "wireguard/x25519.h"

namespace wgtrack {
namespace {

using Clock = std::chrono::steady_clock;

// The shared errno mapping, plus what these errors mean for a UAPI socket.
Error socket_error(int err, const std::string& what) {
  Error e = errno_error(err, what);
  if (err == ECONNREFUSED)
    return Error(ErrorCode::kNotFound, e.message + " (stale socket: nothing is listening)");
  if (e.code == ErrorCode::kPermissionDenied)
    e.message += " (needs root, or write access to the socket)";
  return e;
}

// Waits for `events` on fd until the deadline; kTimeout when it passes.
Result<void> wait_for(int fd, short events, Clock::time_point deadline, const std::string& what) {
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0)
      return Error(ErrorCode::kTimeout, what + ": timed out, no answer in time");
    pollfd p{fd, events, 0};
    const int r = ::poll(&p, 1, static_cast<int>(left.count()) + 1);
    if (r > 0) return success();
    if (r < 0 && errno != EINTR) return socket_error(errno, what);
  }
}

}  // namespace

bool is_valid_interface_name(std::string_view name) {
  if (name.empty() || name.size() > 15 || name == "." || name == "..") return false;
  return std::none_of(name.begin(), name.end(),
                      [](char c) { return c == '/' || c <= ' ' || c == ':' || c >= 0x7f; });
}

UapiBackend::UapiBackend(std::string socket_dir, std::chrono::milliseconds timeout, Scope scope)
    : socket_dir_(std::move(socket_dir)), timeout_(timeout), scope_(scope) {}

std::string UapiBackend::socket_path(std::string_view name) const {
  std::string p = socket_dir_;
  p += '/';
  p += name;
  p += ".sock";
  return p;
}

bool UapiBackend::has_socket(std::string_view name) const {
  if (!is_valid_interface_name(name)) return false;
  struct stat st;
  return ::stat(socket_path(name).c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

Result<std::vector<InterfaceRef>> UapiBackend::list_interfaces() {
  std::vector<InterfaceRef> out;
  DIR* dir = ::opendir(socket_dir_.c_str());
  if (dir == nullptr) {
    if (errno == ENOENT) return out;  // no userspace implementation has run here
    return errno_error(errno, "cannot list " + socket_dir_);
  }
  while (const dirent* e = ::readdir(dir)) {
    std::string_view n(e->d_name);
    if (n.size() <= 5 || n.substr(n.size() - 5) != ".sock") continue;
    n.remove_suffix(5);
    if (!has_socket(n)) continue;
    const std::string name(n);
    if (scope_ == Scope::kThisNamespace && ::if_nametoindex(name.c_str()) == 0) continue;
    out.push_back({name, BackendKind::kUserspace});
  }
  ::closedir(dir);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

Result<std::string> UapiBackend::exchange(std::string_view name, std::string_view request) {
  if (!is_valid_interface_name(name))
    return Error(ErrorCode::kInvalidInput, "invalid interface name");
  const std::string path = socket_path(name);
  const auto deadline = Clock::now() + timeout_;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path)
    return Error(ErrorCode::kInvalidInput, "socket path too long: " + path);
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);

  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (fd.get() < 0) return socket_error(errno, "socket");
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (errno != EINPROGRESS && errno != EAGAIN) return socket_error(errno, path);
    if (auto w = wait_for(fd.get(), POLLOUT, deadline, path); !w) return w.error();
  }
  std::size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = ::send(fd.get(), request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (auto w = wait_for(fd.get(), POLLOUT, deadline, path); !w) return w.error();
    } else {
      return socket_error(errno, path);
    }
  }
  std::string reply;
  reply.resize(64 * 1024);
  std::size_t have = 0;
  for (;;) {
    if (have == reply.size()) {
      if (reply.size() >= kMaxReplyBytes) {
        secure_zero(reply.data(), reply.size());
        return Error(ErrorCode::kProtocol, path + ": reply larger than the bound");
      }
      // Grow by hand so the old buffer, which may hold the private key, is wiped.
      std::string bigger(reply.size() * 2, '\0');
      std::memcpy(bigger.data(), reply.data(), have);
      secure_zero(reply.data(), reply.size());
      reply.swap(bigger);
    }
    const ssize_t n = ::recv(fd.get(), reply.data() + have, reply.size() - have, 0);
    if (n > 0) {
      have += static_cast<std::size_t>(n);
      if (uapi_reply_complete(std::string_view(reply.data(), have))) break;
    } else if (n == 0) {
      break;  // EOF: the decoder reports truncation if errno= is missing
    } else if (errno == EAGAIN || errno == EINTR) {
      if (auto w = wait_for(fd.get(), POLLIN, deadline, path); !w) {
        secure_zero(reply.data(), reply.size());
        return w.error();
      }
    } else {
      const int err = errno;
      secure_zero(reply.data(), reply.size());
      return socket_error(err, path);
    }
  }
  reply.resize(have);
  return reply;
}

Result<std::string> UapiBackend::raw_get(std::string_view name) {
  return exchange(name, uapi_get_request());
}

Result<Device> UapiBackend::get_device(std::string_view name) {
  auto reply = exchange(name, uapi_get_request());
  if (!reply) return reply.error();
  auto dev = decode_uapi_get(*reply, name);
  secure_zero(reply->data(), reply->size());
  if (!dev) return dev.error().context(std::string(name));
  return dev;
}

Result<void> UapiBackend::update_peer_endpoint(std::string_view name,
                                               const PeerEndpointUpdate& update) {
  auto reply = exchange(name, encode_uapi_set_endpoint(update));
  if (!reply) return reply.error();
  auto r = decode_uapi_set_reply(*reply);
  if (!r) return r.error().context(std::string(name));
  return r;
}

}  // namespace wgtrack
