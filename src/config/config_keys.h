// The keys of wgtrack.conf and where each may appear (internal to src/config).
#pragma once

#include <string>
#include <string_view>

namespace wgtrack::config {

// Section kinds a key may appear in (bit mask). [DEFAULT] accepts every kGeneral or
// kInterface key; per-peer identity keys (name, endpoints, probe_target) are not defaults.
enum KeyScope : unsigned {
  kScopeGeneral = 1,
  kScopeInterface = 2,
  kScopePeer = 4,
  kScopeDefault = 8,
};

// The scopes of `key`, 0 if it is not a key of wgtrack.conf.
unsigned key_scopes(std::string_view key);
// The known key allowed in `scope` closest to `key` within edit distance 2, or "".
std::string closest_key(std::string_view key, unsigned scope);
// "[general]", "[interface:NAME] or [peer:…]": where a key belongs, for messages.
std::string scopes_text(unsigned scopes);

}  // namespace wgtrack::config
