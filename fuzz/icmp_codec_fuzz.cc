// Feeds arbitrary bytes to the ICMP echo reply parser in every framing a socket can deliver: it
// must return a value or an error, never crash or read out of bounds; whatever it accepts must
// come back byte for byte when re-encoded.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>

#include "probe/icmp_codec.h"

namespace {

using wgtrack::IcmpFraming;
using wgtrack::IpFamily;

void check(IpFamily family, IcmpFraming framing, std::span<const std::uint8_t> in) {
  auto r = wgtrack::parse_echo_reply(family, framing, in);
  if (!r.ok() || !r->has_value()) return;
  // An accepted reply is a reply of ours: its first 20 ICMP bytes are what we would build.
  const auto again = wgtrack::make_echo_reply(family, **r);
  const std::size_t offset =
      framing == IcmpFraming::kIPv4Header ? static_cast<std::size_t>(in[0] & 0x0f) * 4 : 0;
  if (in.size() < offset + again.size()) std::abort();
  // The checksum is skipped: the v6 one is the kernel's, and in one's complement 0x0000 and
  // 0xffff are both valid for the same v4 message.
  for (std::size_t i = 0; i < again.size(); ++i) {
    if (i != 2 && i != 3 && in[offset + i] != again[i]) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> in(data, size);
  check(IpFamily::kIPv4, IcmpFraming::kIPv4Header, in);
  check(IpFamily::kIPv4, IcmpFraming::kIcmpOnly, in);
  check(IpFamily::kIPv6, IcmpFraming::kIcmpOnly, in);
  check(IpFamily::kIPv6, IcmpFraming::kIPv4Header, in);  // a misuse: must be an error
  (void)wgtrack::internet_checksum(in);
  return 0;
}
