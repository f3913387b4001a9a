// The dashboard's files (web/*.html, *.js, *.css), embedded into the binary at build time by
// web/embed.cmake: the daemon serves them itself, nothing is loaded from the internet.
#pragma once

#include <span>
#include <string_view>

namespace wgtrack::web {

struct Asset {
  std::string_view path;          // "/index.html", "/app.js", ...
  std::string_view content_type;  // with charset
  std::string_view body;
};

std::span<const Asset> assets();
// The asset served at `path` ("/" is /index.html); nullptr when there is none.
const Asset* find_asset(std::string_view path);

}  // namespace wgtrack::web
