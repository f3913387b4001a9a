#include "http/router.h"

#include "http/url.h"

namespace wgtrack::http {
namespace {

// "/a/b" -> {"a","b"}; "/" -> {""}; "/a/" -> {"a",""}. Input starts with '/'.
std::vector<std::string_view> split_segments(std::string_view path) {
  std::vector<std::string_view> out;
  path.remove_prefix(1);
  while (true) {
    std::size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

}  // namespace

Result<void> Router::add(std::string_view pattern, HttpHandler handler) {
  if (pattern.empty() || pattern.front() != '/') {
    return Error(ErrorCode::kInvalidInput, "route pattern must start with '/'");
  }
  for (const auto& r : routes_) {
    if (r.pattern == pattern) {
      return Error(ErrorCode::kInvalidInput, "route already registered: " + std::string(pattern));
    }
  }
  Route route{std::string(pattern), {}, std::move(handler)};
  auto parts = split_segments(pattern);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::string_view p = parts[i];
    if (p.empty() || p.front() != '{') {
      if (p.find_first_of("{}") != std::string_view::npos) {
        return Error(ErrorCode::kInvalidInput, "braces inside a literal segment");
      }
      route.segments.push_back({Segment::Kind::kLiteral, std::string(p)});
      continue;
    }
    if (p.size() < 3 || p.back() != '}') {
      return Error(ErrorCode::kInvalidInput, "bad parameter segment: " + std::string(p));
    }
    std::string_view name = p.substr(1, p.size() - 2);
    auto kind = Segment::Kind::kParam;
    if (name.back() == '*') {
      if (i + 1 != parts.size() || name.size() < 2) {
        return Error(ErrorCode::kInvalidInput, "{name*} must be the last segment");
      }
      name.remove_suffix(1);
      kind = Segment::Kind::kRest;
    }
    route.segments.push_back({kind, std::string(name)});
  }
  routes_.push_back(std::move(route));
  return success();
}

Result<Router::Match> Router::match(std::string_view raw_path) const {
  if (raw_path.empty() || raw_path.front() != '/') {
    return Error(ErrorCode::kNotFound, "no route");
  }
  auto parts = split_segments(raw_path);
  // Decode once; an undecodable segment is the client's error whichever route it was meant for.
  std::vector<std::string> decoded;
  decoded.reserve(parts.size());
  for (auto p : parts) {
    auto d = percent_decode(p, false);
    if (!d) return d.error();
    decoded.push_back(std::move(*d));
  }
  for (const auto& route : routes_) {
    Match m{&route.handler, {}};
    bool ok = true;
    std::size_t i = 0;
    for (; ok && i < route.segments.size(); ++i) {
      const Segment& s = route.segments[i];
      if (s.kind == Segment::Kind::kRest) {
        // The rest of the raw path, decoded as a whole (raw '/' and %2F both become '/').
        if (i >= parts.size()) {
          ok = false;
          break;
        }
        std::size_t offset = static_cast<std::size_t>(parts[i].data() - raw_path.data());
        auto rest = percent_decode(raw_path.substr(offset), false);
        if (!rest || rest->empty()) {
          ok = false;
          break;
        }
        m.params.emplace_back(s.text, std::move(*rest));
        i = parts.size();
        break;
      }
      if (i >= parts.size()) {
        ok = false;
      } else if (s.kind == Segment::Kind::kLiteral) {
        ok = decoded[i] == s.text;
      } else {
        ok = !decoded[i].empty();
        if (ok) m.params.emplace_back(s.text, decoded[i]);
      }
    }
    if (ok && i == parts.size()) return m;
  }
  return Error(ErrorCode::kNotFound, "no route");
}

}  // namespace wgtrack::http
