#include "sinks/exec/command_line.h"

namespace wgtrack {
namespace {

Error bad(std::string what, std::size_t column) {
  return Error(ErrorCode::kInvalidInput, what + " at column " + std::to_string(column + 1));
}

}  // namespace

Result<std::vector<std::string>> split_command_line(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;  // also true after "" so that an empty quoted word counts
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == '\t') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return bad("control character in command", i);
    in_word = true;
    if (c == '\\') {
      if (++i == text.size()) return bad("trailing backslash", i - 1);
      if (static_cast<unsigned char>(text[i]) < 0x20) return bad("control character in command", i);
      word += text[i];
    } else if (c == '\'') {
      const std::size_t end = text.find('\'', i + 1);
      if (end == std::string_view::npos) return bad("unbalanced ' quote", i);
      word.append(text.substr(i + 1, end - i - 1));
      i = end;
    } else if (c == '"') {
      const std::size_t open = i;
      for (++i;; ++i) {
        if (i >= text.size()) return bad("unbalanced \" quote", open);
        const char q = text[i];
        if (q == '"') break;
        if (q == '\\' && i + 1 < text.size() && (text[i + 1] == '"' || text[i + 1] == '\\')) {
          word += text[++i];
        } else if (static_cast<unsigned char>(q) < 0x20 && q != '\t') {
          return bad("control character in command", i);
        } else {
          word += q;
        }
      }
    } else {
      word += c;
    }
  }
  if (in_word) words.push_back(std::move(word));
  if (words.empty()) return Error(ErrorCode::kInvalidInput, "empty command");
  if (words[0].empty() || words[0][0] != '/')
    return Error(ErrorCode::kInvalidInput,
                 "program \"" + words[0] + "\" is not an absolute path (PATH is never searched)");
  return words;
}

}  // namespace wgtrack
