#include "http_client/http_url.h"

#include <algorithm>
#include <cctype>

#include "core/endpoint.h"

namespace wgtrack {
namespace {

Error invalid(std::string message) { return Error(ErrorCode::kInvalidInput, std::move(message)); }

bool is_unreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// RFC 1123 host names: letters, digits, hyphens and dots (plus '_' seen in the wild).
bool valid_reg_name(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  return std::all_of(host.begin(), host.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == '_';
  });
}

constexpr char kHex[] = "0123456789ABCDEF";

std::string encode(std::string_view text, bool plus_for_space) {
  std::string out;
  out.reserve(text.size() * 3 / 2);
  for (unsigned char c : text) {
    if (is_unreserved(c)) {
      out += static_cast<char>(c);
    } else if (plus_for_space && c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

Result<HttpUrl> parse_http_url(std::string_view text) {
  for (unsigned char c : text) {
    if (c <= 0x20 || c == 0x7f) return invalid("URL contains whitespace or control characters");
  }
  const std::size_t colon = text.find("://");
  if (colon == std::string_view::npos) return invalid("expected http://HOST[:PORT]/PATH");
  HttpUrl url;
  const std::string scheme = lower(text.substr(0, colon));
  if (scheme == "http")
    url.https = false;
  else if (scheme == "https")
    url.https = true;
  else
    return invalid("unsupported scheme '" + scheme + "' (expected http or https)");
  std::string_view rest = text.substr(colon + 3);
  if (rest.find('#') != std::string_view::npos) return invalid("URL must not have a #fragment");
  const std::size_t slash = std::min(rest.find('/'), rest.find('?'));
  std::string_view authority = rest.substr(0, slash);
  url.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (url.target[0] == '?') url.target.insert(0, "/");
  if (authority.find('@') != std::string_view::npos)
    return invalid("URL must not contain user:password@ (use the output's credential keys)");

  std::string_view host;
  std::string_view port_text;
  if (!authority.empty() && authority[0] == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return invalid("unclosed '[' in URL host");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return invalid("unexpected text after ']' in URL host");
      port_text = after.substr(1);
      if (port_text.empty()) return invalid("empty port in URL");
    }
    auto ip = Endpoint::parse_address(host, 1);
    if (!ip || ip->family() != IpFamily::kIPv6 || host.find('%') != std::string_view::npos)
      return invalid("'" + std::string(host) + "' is not an IPv6 address");
  } else {
    const std::size_t c = authority.rfind(':');
    host = authority.substr(0, c);
    if (c != std::string_view::npos) {
      port_text = authority.substr(c + 1);
      if (port_text.empty()) return invalid("empty port in URL");
    }
    if (!valid_reg_name(host)) return invalid("bad host '" + std::string(host) + "' in URL");
  }
  if (host.empty()) return invalid("URL has no host");
  url.host = lower(host);
  if (port_text.empty()) {
    url.port = url.https ? 443 : 80;
  } else if (!parse_port(port_text, url.port) || url.port == 0) {
    return invalid("bad port '" + std::string(port_text) + "' in URL");
  }
  return url;
}

std::string HttpUrl::origin() const {
  std::string out = https ? "https://" : "http://";
  const bool v6 = host.find(':') != std::string::npos;
  out += v6 ? "[" + host + "]" : host;
  if (port != (https ? 443 : 80)) out += ":" + std::to_string(port);
  return out;
}

std::string HttpUrl::host_header() const {
  std::string o = origin();
  return o.substr(o.find("://") + 3);
}

std::string HttpUrl::to_string() const { return origin() + target; }

std::string percent_encode(std::string_view text) { return encode(text, false); }
std::string form_encode(std::string_view text) { return encode(text, true); }

std::string base64_encode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const std::uint32_t v = (std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16) |
                            (std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8) |
                            static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i < bytes.size()) {
    std::uint32_t v = std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16;
    if (i + 1 < bytes.size()) v |= std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace wgtrack
