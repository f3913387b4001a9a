// Percent-decoding of request-target parts (RFC 3986 section 2.1) and query strings. Pure.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace wgtrack::http {

// "%2F" -> "/". With plus_is_space (query components, form encoding) '+' -> ' '. A '%' not
// followed by two hex digits, or a decoded NUL byte, is kInvalidInput.
Result<std::string> percent_decode(std::string_view in, bool plus_is_space);

// "a=1&b=%2F&c" -> {{"a","1"},{"b","/"},{"c",""}}; empty pieces ("a=1&&b") are skipped.
Result<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view query);

}  // namespace wgtrack::http
