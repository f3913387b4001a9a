// Text helpers for sinks that write lines or fields: the two places where peer-supplied text
// (names, interface names, reasons) could otherwise split a line or forge an entry.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/public_key.h"
#include "events/event.h"

namespace wgtrack {

// The event's JSON (event_json.h) made safe for any line-oriented reader: besides the JSON
// escapes (control characters, quotes), the Unicode line terminators U+0085 (NEL), U+2028 and
// U+2029 are written as \u escapes, because JavaScript-era readers, some log viewers and
// editors break lines on them although JSON does not require escaping them. No trailing
// newline. The result is still valid JSON and decodes to the same text.
std::string event_json_line(const Event& event);
void append_event_json_line(std::string& out, const Event& event);

// One printable line from untrusted text, for journal fields, syslog and environment
// variables: valid UTF-8 is kept; \n \r \t and other C0/C1 controls, DEL, U+2028 and U+2029
// become visible escapes ("\n", "\x1b", "\u2028"); bytes that are not UTF-8 become U+FFFD.
// The result is cut (at a character boundary) to at most `max_bytes`, ending in "..." when cut.
inline constexpr std::size_t kMaxFieldBytes = 1024;
std::string sanitize_text(std::string_view text, std::size_t max_bytes = kMaxFieldBytes);

// A peer in a log line when it has no name: the first 8 base64 characters and an ellipsis.
std::string short_key(const PublicKey& key);

}  // namespace wgtrack
