// WireGuard interface names as wg-quick(8) accepts them, and the name a wg-quick file gives.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wgtrack::config {

// 1..15 (IFNAMSIZ - 1) of [a-zA-Z0-9_=+.-], not "." or "..": wg-quick's rule.
bool is_valid_interface_name(std::string_view name);
// "/etc/wireguard/wg0.conf" -> "wg0". nullopt unless the file name ends in ".conf" and the rest
// is a valid interface name.
std::optional<std::string> interface_name_from_path(std::string_view path);

}  // namespace wgtrack::config
