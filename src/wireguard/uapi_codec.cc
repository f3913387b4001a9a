#include "wireguard/uapi_codec.h"

#include <cerrno>
#include <charconv>
#include <cstring>

#include "wireguard/x25519.h"

namespace wgtrack {
namespace {

// wireguard-go answers errors with these (device/uapi.go ipcErrorf codes).
Error errno_error(std::int64_t e) {
  std::string m = "userspace WireGuard answered errno=" + std::to_string(e);
  switch (e) {
    case EPERM:
    case EACCES: return Error(ErrorCode::kPermissionDenied, std::move(m));
    case EINVAL: return Error(ErrorCode::kInvalidInput, std::move(m));
    case ENODEV:
    case ENOENT: return Error(ErrorCode::kNotFound, std::move(m));
    default: return Error(ErrorCode::kProtocol, std::move(m));
  }
}

// Names the key, never the value: a value may be a private or preshared key. Callers pass a
// key this codec knows (or a fixed description), never text of the reply.
Error malformed(std::size_t line, std::string_view key) {
  return Error(ErrorCode::kProtocol,
               "malformed UAPI reply: line " + std::to_string(line) + " ('" + std::string(key) + "')");
}

template <typename T>
bool parse_uint(std::string_view v, T& out) {
  if (v.empty() || v[0] < '0' || v[0] > '9') return false;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  return ec == std::errc() && p == v.data() + v.size();
}

bool parse_int(std::string_view v, std::int64_t& out) {
  if (v.empty()) return false;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  return ec == std::errc() && p == v.data() + v.size();
}

constexpr bool key_is(std::string_view key, std::string_view want) { return key == want; }

}  // namespace

std::string_view uapi_get_request() { return "get=1\n\n"; }

bool uapi_reply_complete(std::string_view buffer) {
  // A reply ends "errno=N\n\n"; a lone "\n" (empty reply) never happens for get.
  if (buffer.size() < 2 || buffer.substr(buffer.size() - 2) != "\n\n") return false;
  const auto last = buffer.rfind('\n', buffer.size() - 3);
  const std::size_t start = last == std::string_view::npos ? 0 : last + 1;
  return buffer.substr(start, 6) == "errno=";
}

Result<Device> decode_uapi_get(std::string_view reply, std::string_view name) {
  Device dev;
  dev.name = std::string(name);
  dev.backend = BackendKind::kUserspace;
  dev.peers.reserve(reply.size() / 300);

  Peer* peer = nullptr;
  std::int64_t hs_sec = 0;
  std::int64_t hs_nsec = 0;
  bool have_errno = false;
  std::int64_t err = 0;
  // A peer's allowed IPs are collected here and copied once, exactly sized, when the peer
  // ends: one allocation per peer instead of push_back's growth steps and slack.
  std::vector<IpPrefix> ips;
  auto finish_peer = [&]() -> bool {
    if (peer == nullptr) return true;
    peer->allowed_ips.assign(ips.begin(), ips.end());
    ips.clear();
    if (hs_sec < 0 || hs_sec > kMaxWallSeconds || hs_nsec < 0 || hs_nsec >= 1'000'000'000)
      return false;
    if (hs_sec != 0 || hs_nsec != 0) {
      peer->last_handshake =
          WallTime(std::chrono::seconds(hs_sec) + std::chrono::nanoseconds(hs_nsec));
    }
    hs_sec = hs_nsec = 0;
    return true;
  };

  std::size_t pos = 0;
  std::size_t line_no = 0;
  while (pos < reply.size()) {
    const char* nl =
        static_cast<const char*>(std::memchr(reply.data() + pos, '\n', reply.size() - pos));
    if (nl == nullptr) return malformed(line_no + 1, "<unterminated line>");
    const std::string_view line(reply.data() + pos, nl - (reply.data() + pos));
    pos = nl - reply.data() + 1;
    ++line_no;
    if (line.empty()) {
      if (!have_errno) return malformed(line_no, "<blank line before errno>");
      break;  // end of reply
    }
    if (have_errno) return malformed(line_no, "<data after errno>");
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) {
      // A line without '=' is all value (a bare key in hex, say): only its length is shown.
      return Error(ErrorCode::kProtocol, "malformed UAPI reply: line " + std::to_string(line_no) +
                                             ": no '=' (" + std::to_string(line.size()) +
                                             " bytes, not shown)");
    }
    const std::string_view key = line.substr(0, eq);
    const std::string_view val = line.substr(eq + 1);

    if (peer == nullptr || key_is(key, "public_key") || key_is(key, "errno")) {
      // device-level keys (or the first key of a new peer / the end)
      if (key_is(key, "public_key")) {
        if (!finish_peer()) return malformed(line_no - 1, "last_handshake_time");
        PublicKey::Bytes b;
        if (!PublicKey::parse_hex(val, b)) return malformed(line_no, key);
        peer = &dev.peers.emplace_back();
        peer->public_key = PublicKey(b);
        continue;
      }
      if (key_is(key, "errno")) {
        if (!finish_peer()) return malformed(line_no - 1, "last_handshake_time");
        if (!parse_int(val, err)) return malformed(line_no, key);
        have_errno = true;
        continue;
      }
      if (key_is(key, "private_key")) {
        std::array<std::uint8_t, 32> priv{};
        if (!PublicKey::parse_hex(val, priv)) return malformed(line_no, key);
        auto pub = derive_public_key(priv);
        secure_zero(priv.data(), priv.size());
        if (!pub) return pub.error();
        if (!PublicKey(pub->bytes()).is_zero()) dev.public_key = *pub;
        continue;
      }
      if (key_is(key, "listen_port")) {
        if (!parse_uint(val, dev.listen_port)) return malformed(line_no, key);
        continue;
      }
      if (key_is(key, "fwmark")) {
        if (!parse_uint(val, dev.fwmark)) return malformed(line_no, key);
        continue;
      }
      continue;  // unknown device key: newer implementation, ignore
    }

    // peer-level keys
    switch (key.size()) {
      case 8:
        if (key_is(key, "endpoint")) {
          auto ep = Endpoint::parse(val);
          if (!ep) return malformed(line_no, key);
          peer->endpoint = *ep;
        } else if (key_is(key, "tx_bytes")) {
          if (!parse_uint(val, peer->tx_bytes)) return malformed(line_no, key);
        } else if (key_is(key, "rx_bytes")) {
          if (!parse_uint(val, peer->rx_bytes)) return malformed(line_no, key);
        }
        break;
      case 10:
        if (key_is(key, "allowed_ip")) {
          auto p = IpPrefix::parse(val);
          if (!p || val.find('/') == std::string_view::npos) return malformed(line_no, key);
          ips.push_back(*p);
        }
        break;
      case 13:
        if (key_is(key, "preshared_key")) {
          // Most peers have none (all zeros): recognise that without decoding.
          static constexpr std::string_view kNoKey =
              "0000000000000000000000000000000000000000000000000000000000000000";
          if (val == kNoKey) break;
          PublicKey::Bytes psk{};
          if (!PublicKey::parse_hex(val, psk)) return malformed(line_no, key);
          peer->has_preshared_key = !PublicKey(psk).is_zero();
          secure_zero(psk.data(), psk.size());
        }
        break;
      case 23:
        if (key_is(key, "last_handshake_time_sec")) {
          if (!parse_int(val, hs_sec)) return malformed(line_no, key);
        }
        break;
      case 24:
        if (key_is(key, "last_handshake_time_nsec")) {
          if (!parse_int(val, hs_nsec)) return malformed(line_no, key);
        }
        break;
      case 29:
        if (key_is(key, "persistent_keepalive_interval")) {
          if (!parse_uint(val, peer->persistent_keepalive)) return malformed(line_no, key);
        }
        break;
      default:
        break;  // protocol_version and keys from newer implementations
    }
  }
  if (!have_errno) return Error(ErrorCode::kProtocol, "truncated UAPI reply (no errno line)");
  if (err != 0) return errno_error(err);
  return dev;
}

std::string encode_uapi_set_endpoint(const PeerEndpointUpdate& update) {
  std::string s = "set=1\npublic_key=";
  s += update.public_key.to_hex();
  s += "\nupdate_only=true\nendpoint=";
  update.endpoint.append_to(s);
  s += "\n\n";
  return s;
}

Result<void> decode_uapi_set_reply(std::string_view reply) {
  if (!uapi_reply_complete(reply) || reply.substr(0, 6) != "errno=")
    return Error(ErrorCode::kProtocol, "malformed UAPI set reply");
  std::int64_t err = 0;
  if (!parse_int(reply.substr(6, reply.size() - 8), err))
    return Error(ErrorCode::kProtocol, "malformed UAPI set reply");
  if (err != 0) return errno_error(err);
  return success();
}

}  // namespace wgtrack
