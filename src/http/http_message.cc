#include "http/http_message.h"

#include <algorithm>

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
