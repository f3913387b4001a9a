#include "core/endpoint.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <charconv>
#include <cstring>

namespace wgtrack {
namespace {

Error bad(std::string_view what, std::string_view text) {
  std::string m(what);
  m += ": '";
  // Never echo unbounded or control characters back into a log line.
  for (char c : text.substr(0, 64)) m += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (text.size() > 64) m += "...";
  m += "'";
  return Error(ErrorCode::kInvalidInput, std::move(m));
}

// A zone name that prints back as it parses: printable ASCII without '/' or ']'. Linux allows
// any byte >= 0x80 in an interface name; such a name is not kept (the numeric scope is).
bool valid_zone_name(std::string_view zone) {
  for (char c : zone) {
    if (c <= 0x20 || c >= 0x7f || c == '/' || c == ']') return false;
  }
  return !zone.empty();
}

bool parse_u32(std::string_view t, std::uint32_t& out) {
  if (t.empty() || t[0] < '0' || t[0] > '9') return false;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
  return ec == std::errc() && p == t.data() + t.size();
}

// Dotted-quad IPv4 in exactly inet_pton's accepted form (four decimal octets, no leading
// zeros beyond a single "0"); a fast path because codecs parse one or more per peer.
bool parse_ipv4(std::string_view t, std::uint8_t* out) {
  std::size_t i = 0;
  for (int octet = 0; octet < 4; ++octet) {
    if (octet > 0) {
      if (i >= t.size() || t[i] != '.') return false;
      ++i;
    }
    const std::size_t start = i;
    unsigned v = 0;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9' && i - start < 3) v = v * 10 + (t[i++] - '0');
    if (i == start || v > 255 || (t[start] == '0' && i - start > 1)) return false;
    out[octet] = static_cast<std::uint8_t>(v);
  }
  return i == t.size();
}

void append_u8(std::string& out, unsigned v) {
  if (v >= 100) out += static_cast<char>('0' + v / 100);
  if (v >= 10) out += static_cast<char>('0' + v / 10 % 10);
  out += static_cast<char>('0' + v % 10);
}

void append_ipv4(std::string& out, const std::uint8_t* a) {
  for (int i = 0; i < 4; ++i) {
    if (i) out += '.';
    append_u8(out, a[i]);
  }
}

}  // namespace

void append_ip(std::string& out, IpFamily family, const std::uint8_t* addr) {
  if (family == IpFamily::kIPv4) {
    append_ipv4(out, addr);
    return;
  }
  std::uint16_t w[8];
  for (int i = 0; i < 8; ++i) w[i] = static_cast<std::uint16_t>(addr[2 * i] << 8 | addr[2 * i + 1]);
  // The longest run of two or more zero groups (the first on a tie) becomes "::".
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (w[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && w[j] == 0) ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  if (best_len < 2) best = -1;
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += ':';
      if (best + best_len == 8) out += ':';
      i += best_len - 1;
      continue;
    }
    if (i) out += ':';
    // glibc's embedded IPv4 forms: ::a.b.c.d (not ::1 and not ::0.0.0.1) and ::ffff:a.b.c.d.
    if (i == 6 && best == 0 &&
        (best_len == 6 || (best_len == 7 && w[7] != 1) || (best_len == 5 && w[5] == 0xffff))) {
      append_ipv4(out, addr + 12);
      return;
    }
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      const unsigned nib = (w[i] >> shift) & 15;
      if (nib != 0 || started || shift == 0) {
        out += kHex[nib];
        started = true;
      }
    }
  }
}

bool parse_port(std::string_view text, std::uint16_t& out) {
  std::uint32_t v = 0;
  if (text.size() > 5 || !parse_u32(text, v) || v == 0 || v > 65535) return false;
  out = static_cast<std::uint16_t>(v);
  return true;
}

Endpoint Endpoint::ipv4(const std::array<std::uint8_t, 4>& addr, std::uint16_t port) {
  Endpoint e;
  std::memcpy(e.addr_.data(), addr.data(), 4);
  e.port_ = port;
  e.family_ = IpFamily::kIPv4;
  return e;
}

Endpoint Endpoint::ipv6(const std::array<std::uint8_t, 16>& addr, std::uint16_t port,
                        std::uint32_t scope_id) {
  Endpoint e;
  e.addr_ = addr;
  e.port_ = port;
  e.scope_id_ = scope_id;
  e.family_ = IpFamily::kIPv6;
  return e;
}

Endpoint Endpoint::with_scope_id(std::uint32_t id) const {
  Endpoint e = *this;
  e.scope_id_ = id;
  e.zone_ = {};
  return e;
}

Endpoint Endpoint::with_zone(std::string_view name) const {
  Endpoint e = *this;
  if (family_ != IpFamily::kIPv6 || name.size() > kZoneMax || !valid_zone_name(name)) return e;
  e.zone_ = {};
  std::memcpy(e.zone_.data(), name.data(), name.size());
  return e;
}

std::string_view Endpoint::zone() const { return std::string_view(zone_.data()); }

Result<Endpoint> Endpoint::parse_address(std::string_view text, std::uint16_t port) {
  Endpoint e;
  e.port_ = port;
  std::string_view addr = text;
  std::string_view zone;
  if (auto pct = text.find('%'); pct != std::string_view::npos) {
    addr = text.substr(0, pct);
    zone = text.substr(pct + 1);
    if (zone.empty() || zone.size() > kZoneMax) return bad("invalid IPv6 scope", text);
  }
  if (addr.find(':') == std::string_view::npos) {
    if (!zone.empty()) return bad("a scope is only valid on IPv6 addresses", text);
    if (!parse_ipv4(addr, e.addr_.data())) return bad("invalid IPv4 address", text);
    e.family_ = IpFamily::kIPv4;
    return e;
  }
  char buf[INET6_ADDRSTRLEN];
  if (addr.size() >= sizeof buf) return bad("invalid IP address", text);
  std::memcpy(buf, addr.data(), addr.size());
  buf[addr.size()] = '\0';
  if (inet_pton(AF_INET6, buf, e.addr_.data()) != 1) return bad("invalid IPv6 address", text);
  e.family_ = IpFamily::kIPv6;
  if (!zone.empty()) {
    if (!parse_u32(zone, e.scope_id_)) {
      if (!valid_zone_name(zone)) return bad("invalid IPv6 scope", text);
      std::memcpy(e.zone_.data(), zone.data(), zone.size());
    }
  }
  return e;
}

Result<Endpoint> Endpoint::parse(std::string_view text, PortZero zero) {
  std::string_view host;
  std::string_view port_text;
  if (!text.empty() && text[0] == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return bad("an IPv6 endpoint is written [address]:port", text);
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
    if (host.find(':') == std::string_view::npos) return bad("brackets are for IPv6", text);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return bad("an endpoint needs a port", text);
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos)
      return bad("an IPv6 endpoint is written [address]:port", text);
  }
  std::uint16_t port = 0;
  if (zero == PortZero::kAllowed && port_text == "0") return parse_address(host, 0);
  if (!parse_port(port_text, port)) {
    return bad(zero == PortZero::kAllowed ? "invalid port (0-65535)" : "invalid port (1-65535)",
               text);
  }
  return parse_address(host, port);
}

Result<Endpoint> Endpoint::from_sockaddr(const void* data, std::size_t len) {
  if (len < sizeof(sa_family_t)) return Error(ErrorCode::kProtocol, "endpoint too short");
  sa_family_t fam;
  std::memcpy(&fam, data, sizeof fam);
  if (fam == AF_INET && len == sizeof(sockaddr_in)) {
    sockaddr_in sin;
    std::memcpy(&sin, data, sizeof sin);
    Endpoint e;
    std::memcpy(e.addr_.data(), &sin.sin_addr, 4);
    e.port_ = ntohs(sin.sin_port);
    e.family_ = IpFamily::kIPv4;
    return e;
  }
  if (fam == AF_INET6 && len == sizeof(sockaddr_in6)) {
    sockaddr_in6 sin6;
    std::memcpy(&sin6, data, sizeof sin6);
    Endpoint e;
    std::memcpy(e.addr_.data(), &sin6.sin6_addr, 16);
    e.port_ = ntohs(sin6.sin6_port);
    e.scope_id_ = sin6.sin6_scope_id;
    e.family_ = IpFamily::kIPv6;
    return e;
  }
  return Error(ErrorCode::kProtocol, "endpoint has unknown address family or size");
}

std::size_t Endpoint::to_sockaddr(sockaddr_storage& out) const {
  std::memset(&out, 0, sizeof out);
  if (family_ == IpFamily::kIPv4) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&out);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port_);
    std::memcpy(&sin->sin_addr, addr_.data(), 4);
    return sizeof(sockaddr_in);
  }
  auto* sin6 = reinterpret_cast<sockaddr_in6*>(&out);
  sin6->sin6_family = AF_INET6;
  sin6->sin6_port = htons(port_);
  std::memcpy(&sin6->sin6_addr, addr_.data(), 16);
  sin6->sin6_scope_id = scope_id_;
  return sizeof(sockaddr_in6);
}

void Endpoint::append_to(std::string& out) const {
  if (family_ == IpFamily::kIPv4) {
    append_ip(out, family_, addr_.data());
  } else {
    out += '[';
    append_ip(out, family_, addr_.data());
    if (zone_[0] != '\0') {
      out += '%';
      out += zone_.data();
    } else if (scope_id_ != 0) {
      out += '%';
      out += std::to_string(scope_id_);
    }
    out += ']';
  }
  out += ':';
  char pb[8];
  auto [p, ec] = std::to_chars(pb, pb + sizeof pb, port_);
  out.append(pb, p);
}

std::string Endpoint::to_string() const {
  std::string s;
  append_to(s);
  return s;
}

std::string Endpoint::address_string() const {
  std::string s = to_string();
  s.erase(s.rfind(':'));
  if (family_ == IpFamily::kIPv6) s = s.substr(1, s.size() - 2);
  return s;
}

Result<IpPrefix> IpPrefix::make(IpFamily family, const std::uint8_t* addr, std::uint8_t cidr) {
  const std::uint8_t max = family == IpFamily::kIPv4 ? 32 : 128;
  if (cidr > max) return Error(ErrorCode::kInvalidInput, "prefix length too long");
  IpPrefix p;
  p.family_ = family;
  p.cidr_ = cidr;
  std::memcpy(p.addr_.data(), addr, family == IpFamily::kIPv4 ? 4 : 16);
  return p;
}

IpPrefix IpPrefix::network() const {
  IpPrefix p = *this;
  const unsigned width = family_ == IpFamily::kIPv4 ? 32 : 128;
  for (unsigned bit = cidr_; bit < width; ++bit) {
    p.addr_[bit / 8] = static_cast<std::uint8_t>(p.addr_[bit / 8] & ~(0x80u >> (bit % 8)));
  }
  return p;
}

Result<IpPrefix> IpPrefix::parse(std::string_view text) {
  const auto slash = text.find('/');
  std::string_view addr = text.substr(0, slash);
  IpPrefix p;
  std::uint32_t max;
  if (addr.find(':') == std::string_view::npos) {
    if (!parse_ipv4(addr, p.addr_.data())) return bad("invalid IPv4 prefix", text);
    p.family_ = IpFamily::kIPv4;
    max = 32;
  } else {
    char buf[INET6_ADDRSTRLEN];
    if (addr.size() >= sizeof buf) return bad("invalid IP prefix", text);
    std::memcpy(buf, addr.data(), addr.size());
    buf[addr.size()] = '\0';
    if (inet_pton(AF_INET6, buf, p.addr_.data()) != 1) return bad("invalid IPv6 prefix", text);
    p.family_ = IpFamily::kIPv6;
    max = 128;
  }
  std::uint32_t cidr = max;  // a bare address is a host route, as in wg(8)
  if (slash != std::string_view::npos) {
    if (!parse_u32(text.substr(slash + 1), cidr) || cidr > max)
      return bad("invalid prefix length", text);
  }
  p.cidr_ = static_cast<std::uint8_t>(cidr);
  return p;
}

void IpPrefix::append_to(std::string& out) const {
  append_ip(out, family_, addr_.data());
  out += '/';
  char cb[4];
  auto [p, ec] = std::to_chars(cb, cb + sizeof cb, cidr_);
  out.append(cb, p);
}

std::string IpPrefix::to_string() const {
  std::string s;
  append_to(s);
  return s;
}

}  // namespace wgtrack
