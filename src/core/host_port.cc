#include "core/host_port.h"

namespace wgtrack {

bool is_valid_hostname(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty() || name.size() > 253) return false;
  std::size_t label = 0;
  char prev = '.';
  for (char c : name) {
    if (c == '.') {
      if (label == 0 || prev == '-') return false;
      label = 0;
    } else {
      const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && c != '-' && c != '_') return false;
      if (c == '-' && label == 0) return false;
      if (++label > 63) return false;
    }
    prev = c;
  }
  return prev != '-';
}

Result<HostPort> HostPort::parse(std::string_view text) {
  HostPort hp;
  std::string_view port_text;
  if (!text.empty() && text[0] == '[') {
    // A bracketed IPv6 literal: it must parse as an Endpoint.
    auto ep = Endpoint::parse(text);
    if (!ep) return ep.error();
    hp.host_ = ep->address_string();
    hp.port_ = ep->port();
    return hp;
  }
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0)
    return Error(ErrorCode::kInvalidInput, "expected host:port, got '" + std::string(text.substr(0, 80)) + "'");
  std::string_view host = text.substr(0, colon);
  port_text = text.substr(colon + 1);
  if (host.find(':') != std::string_view::npos)
    return Error(ErrorCode::kInvalidInput, "an IPv6 address needs brackets: [address]:port");
  if (!parse_port(port_text, hp.port_))
    return Error(ErrorCode::kInvalidInput, "invalid port '" + std::string(port_text.substr(0, 16)) + "' (1-65535)");
  if (!is_valid_hostname(host) && !Endpoint::parse_address(host, hp.port_))
    return Error(ErrorCode::kInvalidInput, "invalid host name '" + std::string(host.substr(0, 80)) + "'");
  hp.host_ = std::string(host);
  return hp;
}

std::optional<Endpoint> HostPort::literal() const {
  auto ep = Endpoint::parse_address(host_, port_);
  if (!ep) return std::nullopt;
  return *ep;
}

std::string HostPort::to_string() const {
  if (host_.find(':') != std::string::npos) return "[" + host_ + "]:" + std::to_string(port_);
  return host_ + ":" + std::to_string(port_);
}

}  // namespace wgtrack
