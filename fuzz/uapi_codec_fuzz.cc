// Feeds arbitrary bytes to the UAPI reply decoders: they must return a value or an error,
// never crash, hang or read out of bounds; a decoded device must re-render without fault. An
// error never quotes the reply (a value may be a private key): its text is printable ASCII
// made of the codec's own words and key names.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "wireguard/uapi_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto dev = wgtrack::decode_uapi_get(in, "fuzz0");
  if (!dev.ok()) {
    for (char c : dev.error().message) {
      if (c < 0x20 || c > 0x7e) abort();
    }
  }
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
