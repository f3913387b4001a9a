// Checks that a message holds no piece of a secret: a log line that quotes even a fragment of
// a private key (10 bytes of hex are 40 bits of it) is a leak.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace wgtrack::testing {

// The first `piece`-byte window of `secret` that occurs in `text`, or "" if none does.
inline std::string piece_of_secret_in(std::string_view text, std::string_view secret,
                                      std::size_t piece = 8) {
  if (secret.size() < piece) piece = secret.size();
  for (std::size_t i = 0; piece != 0 && i + piece <= secret.size(); ++i) {
    if (text.find(secret.substr(i, piece)) != std::string_view::npos)
      return std::string(secret.substr(i, piece));
  }
  return "";
}

}  // namespace wgtrack::testing
