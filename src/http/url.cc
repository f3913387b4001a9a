#include "http/url.h"

namespace wgtrack::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<std::string> percent_decode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      int hi = i + 2 < in.size() ? hex_value(in[i + 1]) : -1;
      int lo = i + 2 < in.size() ? hex_value(in[i + 2]) : -1;
      if (hi < 0 || lo < 0) return Error(ErrorCode::kInvalidInput, "bad percent escape");
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
      // A NUL in a path or key is never meaningful and truncates C strings downstream.
      if (c == '\0') return Error(ErrorCode::kInvalidInput, "percent-encoded NUL");
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    out.push_back(c);
  }
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view piece = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (piece.empty()) continue;
    std::size_t eq = piece.find('=');
    auto name = percent_decode(piece.substr(0, eq), true);
    if (!name) return name.error();
    std::string value;
    if (eq != std::string_view::npos) {
      auto v = percent_decode(piece.substr(eq + 1), true);
      if (!v) return v.error();
      value = std::move(*v);
    }
    out.emplace_back(std::move(*name), std::move(value));
  }
  return out;
}

}  // namespace wgtrack::http
