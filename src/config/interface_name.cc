#include "config/interface_name.h"

namespace wgtrack::config {

bool is_valid_interface_name(std::string_view name) {
  // wg-quick(8): [a-zA-Z0-9_=+.-]{1,15}; "." and ".." are not names.
  if (name.empty() || name.size() > 15 || name == "." || name == "..") return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '=' || c == '+' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::optional<std::string> interface_name_from_path(std::string_view path) {
  const auto slash = path.rfind('/');
  if (slash != std::string_view::npos) path.remove_prefix(slash + 1);
  if (!path.ends_with(".conf")) return std::nullopt;
  path.remove_suffix(5);
  if (!is_valid_interface_name(path)) return std::nullopt;
  return std::string(path);
}

}  // namespace wgtrack::config
