// Bounds-checked netlink framing: a reader for the nlmsghdr sequence of one datagram, a reader
// for the attribute (nlattr) sequence of a payload, and a builder for requests.
//
// Wire format (include/uapi/linux/netlink.h): a datagram holds messages, each a 16-byte
// nlmsghdr {u32 len, u16 type, u16 flags, u32 seq, u32 pid} and a payload, padded to 4 bytes.
// Attributes are {u16 len, u16 type} + payload, padded to 4; len counts header + payload but
// not the padding. All integers are host byte order. Readers copy with memcpy (no unaligned
// casts) and never touch a byte outside the span they were given: a length that points past
// the end marks the reader failed, and the caller turns that into ErrorCode::kProtocol.
// No libmnl here on purpose: this code is fuzzed and must not trust a single length.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace wgtrack::netlink {

using Bytes = std::span<const std::uint8_t>;

inline constexpr std::size_t kMessageHeaderSize = 16;   // sizeof(struct nlmsghdr)
inline constexpr std::size_t kAttrHeaderSize = 4;       // sizeof(struct nlattr)
inline constexpr std::uint16_t kAttrNested = 1 << 15;   // NLA_F_NESTED
inline constexpr std::uint16_t kAttrTypeMask = 0x3fff;  // NLA_TYPE_MASK
inline constexpr std::size_t kGenlHeaderSize = 4;       // sizeof(struct genlmsghdr)
inline constexpr std::size_t kIfNameMax = 15;           // IFNAMSIZ - 1

constexpr std::size_t align4(std::size_t n) { return (n + 3) & ~std::size_t{3}; }

template <typename T>
T load(const std::uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

struct Message {
  std::uint16_t type = 0;
  std::uint16_t flags = 0;
  std::uint32_t seq = 0;
  std::uint32_t pid = 0;
  Bytes payload;  // nlmsg_len - 16 bytes after the header
};

// Walks the messages of one datagram. next() returns false at the end or on malformed framing
// (nlmsg_len < 16 or past the end); failed() tells the two apart.
class MessageReader {
 public:
  explicit MessageReader(Bytes datagram) : rest_(datagram) {}
  bool next(Message& out);
  bool failed() const { return failed_; }

 private:
  Bytes rest_;
  bool failed_ = false;
};

struct Attr {
  std::uint16_t type = 0;  // NLA_F_NESTED / NLA_F_NET_BYTEORDER stripped
  Bytes payload;

  // Fixed-size readers: false unless the payload has exactly the size of the type
  // (the kernel's NLA_U8/U16/U32/U64 are exact on output).
  bool get(std::uint8_t& out) const { return get_fixed(out); }
  bool get(std::uint16_t& out) const { return get_fixed(out); }
  bool get(std::uint32_t& out) const { return get_fixed(out); }
  bool get(std::uint64_t& out) const { return get_fixed(out); }
  // NLA_NUL_STRING / NLA_STRING: the text up to the first NUL (or the whole payload).
  std::string_view get_string() const;

 private:
  template <typename T>
  bool get_fixed(T& out) const {
    if (payload.size() != sizeof(T)) return false;
    out = load<T>(payload.data());
    return true;
  }
};

// Walks an attribute sequence (a message payload after its family header, or a nest).
// next() returns false at the end or on a malformed length; failed() tells them apart.
class AttrReader {
 public:
  explicit AttrReader(Bytes data) : rest_(data) {}
  bool next(Attr& out);
  bool failed() const { return failed_; }

 private:
  Bytes rest_;
  bool failed_ = false;
};

// NLMSG_ERROR payload (struct nlmsgerr): sets `err` to the positive errno (0 = ack) and
// `kernel_msg` to the extended-ack text (NLMSGERR_ATTR_MSG) if present. False if too short.
bool read_error(const Message& m, int& err, std::string_view& kernel_msg);
// NLMSG_DONE payload: 0, or the positive errno a dump ended with.
int read_done_errno(const Message& m);

// kProtocol "<what>: malformed netlink reply: <why>".
Error malformed(std::string_view what, std::string_view why);
// At most `max` chars of `s` with control and non-ASCII bytes replaced: safe for a log line.
std::string printable(std::string_view s, std::size_t max = 128);
inline bool valid_ifname(std::string_view name) {
  return !name.empty() && name.size() <= kIfNameMax;
}

// Builds one netlink message (header, family header, attributes, nests).
class MessageBuilder {
 public:
  MessageBuilder(std::uint16_t type, std::uint16_t flags, std::uint32_t seq, std::uint32_t pid = 0,
                 std::size_t reserve = 256);

  // A fixed family header (genlmsghdr, ifinfomsg, ...), padded to 4 bytes.
  void put_header(const void* data, std::size_t len);
  void put(std::uint16_t type, const void* data, std::size_t len);
  void put_u8(std::uint16_t type, std::uint8_t v) { put(type, &v, sizeof v); }
  void put_u16(std::uint16_t type, std::uint16_t v) { put(type, &v, sizeof v); }
  void put_u32(std::uint16_t type, std::uint32_t v) { put(type, &v, sizeof v); }
  void put_u64(std::uint16_t type, std::uint64_t v) { put(type, &v, sizeof v); }
  void put_string(std::uint16_t type, std::string_view s);  // NUL-terminated
  // Opens a nest (NLA_F_NESTED set, as libmnl and the kernel do); returns its offset.
  std::size_t begin_nest(std::uint16_t type);
  void end_nest(std::size_t offset);
  // Drops everything from `offset` on (nla_nest_cancel); for writers with a size budget.
  void truncate(std::size_t offset) { buf_.resize(offset); }

  std::size_t size() const { return buf_.size(); }
  // Sets nlmsg_len and hands out the bytes; the builder is empty afterwards.
  std::vector<std::uint8_t> finish();

 private:
  std::vector<std::uint8_t> buf_;
};

}  // namespace wgtrack::netlink
