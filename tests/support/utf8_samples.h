// Text that is not valid UTF-8, as it reaches wgtrack from config files, wg-quick comments and
// interface names, and what every output must make of it: each byte that does not start a
// valid sequence becomes U+FFFD (EF BF BD), valid multi-byte text stays as it is.
#pragma once

#include <string>

namespace wgtrack::testing {

inline const std::string kReplacement = "\xEF\xBF\xBD";

// ISO-8859-1 "café"; a lone continuation byte; a truncated 東; an overlong '/'; U+D800 encoded
// (a surrogate); F5 and FF (never in UTF-8); then valid Müller, 東京 and 🚀.
inline const std::string kBadUtf8Name =
    "caf\xE9 \x80 \xE6\x9D \xC0\xAF \xED\xA0\x80 \xF5\xFF "
    "M\xC3\xBCller \xE6\x9D\xB1\xE4\xBA\xAC \xF0\x9F\x9A\x80";
inline const std::string kRepairedName =
    "caf" + kReplacement + " " + kReplacement + " " + kReplacement + kReplacement + " " +
    kReplacement + kReplacement + " " + kReplacement + kReplacement + kReplacement + " " +
    kReplacement + kReplacement + " M\xC3\xBCller \xE6\x9D\xB1\xE4\xBA\xAC \xF0\x9F\x9A\x80";

// An interface name with a byte >= 0x80 that is not UTF-8 (Linux accepts it).
inline const std::string kBadUtf8Interface = "wg\xFF" "1";
inline const std::string kRepairedInterface = "wg" + kReplacement + "1";

}  // namespace wgtrack::testing
