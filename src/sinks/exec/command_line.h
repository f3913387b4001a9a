// The exec hook's command line, split into argv at configuration time. There is no shell:
// nothing is expanded, globbed, redirected or piped, so an event can never inject a command.
//
// Rules (a small, predictable subset of sh(1) quoting):
//  - words are separated by unquoted spaces and tabs;
//  - '...' keeps everything inside literally (no escapes at all);
//  - "..." keeps everything literally except \" and \\, which stand for " and \ ;
//  - outside quotes, a backslash makes the next character literal (\  is a space in a word);
//  - quoted and unquoted parts next to each other form one word: --name="a b" is `--name=a b`;
//    "" or '' is an empty word;
//  - $, ~, *, ?, ;, |, &, <, > and ` are ordinary characters.
// Errors (kInvalidInput, with the column): an unbalanced quote, a trailing backslash, a control
// character (newline, tab inside quotes is fine), an empty command, and a program that is not
// an absolute path (we never search PATH: what runs is what the config names).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace wgtrack {

Result<std::vector<std::string>> split_command_line(std::string_view text);

}  // namespace wgtrack
