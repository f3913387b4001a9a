#include "http/http_message.h"

#include <algorithm>
#include <optional>

namespace wgtrack::http {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    return lower(x) == lower(y);
  });
}

const std::string* find(const std::vector<std::pair<std::string, std::string>>& v,
                        std::string_view name) {
  for (const auto& [k, value] : v) {
    if (k == name) return &value;
  }
  return nullptr;
}

}  // namespace

std::string_view HttpRequest::header(std::string_view name) const {
  for (const auto& h : headers) {
    if (iequals(h.name, name)) return h.value;
  }
  return {};
}

const std::string* HttpRequest::query_param(std::string_view name) const {
  return find(query, name);
}

const std::string* HttpRequest::param(std::string_view name) const { return find(params, name); }

std::string_view HttpResponse::body_view() const {
  if (const auto* s = std::get_if<std::string>(&body)) return *s;
  const auto& p = std::get<std::shared_ptr<const std::string>>(body);
  return p ? std::string_view(*p) : std::string_view();
}

HttpResponse HttpResponse::text(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

HttpResponse HttpResponse::json(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(body);
  return r;
}

HttpResponse HttpResponse::later(std::function<void(Completion)> start) {
  HttpResponse r;
  r.deferred = std::move(start);
  return r;
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A qvalue (RFC 9110 section 12.4.2: "0" ["." 0*3DIGIT] / "1" ["." 0*3"0"]): whether it is above
// zero; nullopt when malformed.
std::optional<bool> nonzero_qvalue(std::string_view q) {
  if (q.empty() || q.size() > 5 || (q[0] != '0' && q[0] != '1')) return std::nullopt;
  if (q.size() > 1 && q[1] != '.') return std::nullopt;
  bool nonzero = q[0] == '1';
  for (std::size_t i = 2; i < q.size(); ++i) {
    if (q[i] < '0' || q[i] > '9' || (q[0] == '1' && q[i] != '0')) return std::nullopt;
    if (q[i] != '0') nonzero = true;
  }
  return nonzero;
}

}  // namespace

bool accepts_gzip(std::string_view field) {
  std::optional<bool> gzip, star;
  while (!field.empty()) {
    const std::size_t comma = field.find(',');
    std::string_view element = field.substr(0, comma);
    field = comma == std::string_view::npos ? std::string_view() : field.substr(comma + 1);
    const std::size_t semi = element.find(';');
    const std::string_view coding = trim(element.substr(0, semi));
    std::optional<bool> acceptable = true;
    if (semi != std::string_view::npos) {
      std::string_view param = trim(element.substr(semi + 1));
      if (param.size() < 2 || (param[0] != 'q' && param[0] != 'Q') || param[1] != '=') continue;
      acceptable = nonzero_qvalue(trim(param.substr(2)));
      if (!acceptable) continue;  // malformed: skipped
    }
    if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) {
      gzip = *acceptable;
    } else if (coding == "*") {
      star = *acceptable;
    }
  }
  if (gzip) return *gzip;
  return star.value_or(false);
}

HttpResponse HttpResponse::shared(std::shared_ptr<const std::string> body,
                                  std::string content_type) {
  HttpResponse r;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 204:
      return "No Content";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 413:
      return "Payload Too Large";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "";
  }
}

}  // namespace wgtrack::http
