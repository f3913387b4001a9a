// Feeds arbitrary bytes to the netlink decoders: they must return a value or an error, never
// crash, hang or read out of bounds. The input is a sequence of datagrams framed as
// [u16 little-endian length][bytes] (a short last frame takes the rest), fed in order to one
// WG_CMD_GET_DEVICE dump assembler and one RTM_GETLINK assembler; the whole input is also
// offered as one datagram to every decoder. Seeds: fuzz/corpus/netlink_codec_fuzz (written by
// the fixture generator in src/wireguard/netlink_codec_test.cc, same family id and seq).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "wireguard/netlink_codec.h"

namespace {

constexpr std::uint16_t kFamily = 0x1c;
constexpr std::uint32_t kSeq = 0x5eed0001;

void touch(const wgtrack::Device& dev) {
  for (const auto& p : dev.peers) {
    (void)p.public_key.to_base64();
    if (p.endpoint) (void)p.endpoint->to_string();
    for (const auto& a : p.allowed_ips) (void)a.to_string();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> all(data, size);

  wgtrack::WgDeviceDumpAssembler dump(kFamily, kSeq, "fuzz0");
  wgtrack::WgLinkDumpAssembler links(kSeq);
  bool dump_live = true;
  bool links_live = true;
  std::size_t at = 0;
  while (at < size && (dump_live || links_live)) {
    std::size_t len = data[at];
    if (at + 1 < size) len |= static_cast<std::size_t>(data[at + 1]) << 8;
    at += 2;
    if (at > size) break;
    len = std::min(len, size - at);
    const auto datagram = all.subspan(at, len);
    at += len;
    if (dump_live) {
      auto st = dump.feed(datagram);
      if (!st.ok() || *st != wgtrack::DumpStatus::kMore) {
        dump_live = false;
        if (st.ok() && *st == wgtrack::DumpStatus::kDone) touch(dump.take_device());
      }
    }
    if (links_live) {
      auto st = links.feed(datagram);
      if (!st.ok() || *st != wgtrack::DumpStatus::kMore) links_live = false;
      if (st.ok() && *st == wgtrack::DumpStatus::kDone) (void)links.take_links();
    }
  }

  wgtrack::WgDeviceDumpAssembler single(kFamily, kSeq, "fuzz0");
  if (auto st = single.feed(all); st.ok() && *st == wgtrack::DumpStatus::kDone)
    touch(single.take_device());
  (void)wgtrack::WgLinkDumpAssembler(kSeq).feed(all);
  (void)wgtrack::decode_genl_get_family(all, kSeq);
  (void)wgtrack::decode_netlink_ack(all, kSeq, "fuzz");
  return 0;
}
