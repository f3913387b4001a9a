// Decodes a gzip body in tests (libdeflate, as the daemon encodes it): "<not gzip>" when it is
// not a well-formed gzip stream of at most `limit` bytes.
#pragma once

#include <libdeflate.h>

#include <string>
#include <string_view>

namespace wgtrack::testing {

inline std::string gunzip(std::string_view gz, std::size_t limit = 16 << 20) {
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  std::string out(limit, '\0');
  std::size_t n = 0;
  const auto r = libdeflate_gzip_decompress(d, gz.data(), gz.size(), out.data(), out.size(), &n);
  libdeflate_free_decompressor(d);
  if (r != LIBDEFLATE_SUCCESS) return "<not gzip>";
  out.resize(n);
  return out;
}

}  // namespace wgtrack::testing
