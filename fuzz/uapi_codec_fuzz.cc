// Feeds arbitrary bytes to the UAPI reply decoders: they must return a value or an error,
// never crash, hang or read out of bounds; a decoded device must re-render without fault.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wireguard/uapi_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto dev = wgtrack::decode_uapi_get(in, "fuzz0");
  if (dev.ok()) {
    for (const auto& p : dev->peers) {
      (void)p.public_key.to_base64();
      if (p.endpoint) (void)p.endpoint->to_string();
      for (const auto& a : p.allowed_ips) (void)a.to_string();
    }
  }
  (void)wgtrack::decode_uapi_set_reply(in);
  (void)wgtrack::uapi_reply_complete(in);
  return 0;
}
