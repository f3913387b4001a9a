// The objects the API documents are made of (json_api.h describes their fields). Internal to
// the JSON sink: json_api.cc assembles documents from them, the tests check them through the
// documents.
#pragma once

#include <string>

#include "snapshot/snapshot.h"

namespace wgtrack::json_api {

// `scratch` is a reusable buffer (endpoint text before escaping), so a 10,000-peer document
// allocates nothing per peer once the output has grown.
void append_peer(std::string& out, const PeerSnapshot& peer, std::string& scratch);
void append_interface(std::string& out, const InterfaceSnapshot& interface, std::string& scratch);
// "taken_at":T,"taken_at_unix":N (no braces: the start of every document).
void append_taken_at(std::string& out, const Snapshot& snapshot);

}  // namespace wgtrack::json_api
