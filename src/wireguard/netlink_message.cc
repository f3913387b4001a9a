#include "wireguard/netlink_message.h"

#include <linux/netlink.h>

#include <algorithm>
#include <cassert>
#include <climits>
#include <cstdint>

namespace wgtrack::netlink {
namespace {

// The kernel sends -errno; -INT32_MIN would overflow on garbage input.
int negate(std::int32_t v) { return v == INT32_MIN ? INT32_MAX : -v; }

}  // namespace

bool MessageReader::next(Message& out) {
  if (failed_ || rest_.empty()) return false;
  if (rest_.size() < kMessageHeaderSize) {
    failed_ = true;
    return false;
  }
  const auto len = load<std::uint32_t>(rest_.data());
  if (len < kMessageHeaderSize || len > rest_.size()) {
    failed_ = true;
    return false;
  }
  out.type = load<std::uint16_t>(rest_.data() + 4);
  out.flags = load<std::uint16_t>(rest_.data() + 6);
  out.seq = load<std::uint32_t>(rest_.data() + 8);
  out.pid = load<std::uint32_t>(rest_.data() + 12);
  out.payload = rest_.subspan(kMessageHeaderSize, len - kMessageHeaderSize);
  // The last message's padding may be missing from the datagram (NLMSG_NEXT clamps too).
  rest_ = rest_.subspan(std::min<std::size_t>(align4(len), rest_.size()));
  return true;
}

std::string_view Attr::get_string() const {
  const auto* p = reinterpret_cast<const char*>(payload.data());
  const void* nul = std::memchr(p, '\0', payload.size());
  return std::string_view(p, nul ? static_cast<const char*>(nul) - p : payload.size());
}

bool AttrReader::next(Attr& out) {
  if (failed_ || rest_.empty()) return false;
  if (rest_.size() < kAttrHeaderSize) {
    failed_ = true;  // 1..3 stray bytes: the kernel's strict parser rejects them too
    return false;
  }
  const auto len = load<std::uint16_t>(rest_.data());
  if (len < kAttrHeaderSize || len > rest_.size()) {
    failed_ = true;
    return false;
  }
  out.type = load<std::uint16_t>(rest_.data() + 2) & kAttrTypeMask;
  out.payload = rest_.subspan(kAttrHeaderSize, len - kAttrHeaderSize);
  rest_ = rest_.subspan(std::min<std::size_t>(align4(len), rest_.size()));
  return true;
}

// struct nlmsgerr: int error (negated errno), then the request's header, then its payload
// unless NLM_F_CAPPED, then extended-ack TLVs if NLM_F_ACK_TLVS (af_netlink.c netlink_ack).
bool read_error(const Message& m, int& err, std::string_view& kernel_msg) {
  kernel_msg = {};
  if (m.payload.size() < sizeof(nlmsgerr)) return false;
  err = negate(load<std::int32_t>(m.payload.data()));
  if (!(m.flags & NLM_F_ACK_TLVS)) return true;
  std::size_t at = sizeof(nlmsgerr);
  if (!(m.flags & NLM_F_CAPPED)) {
    const auto orig_len = load<std::uint32_t>(m.payload.data() + 4);
    if (orig_len < kMessageHeaderSize) return true;
    at += align4(orig_len - kMessageHeaderSize);
  }
  if (at >= m.payload.size()) return true;  // the TLVs are optional: ignore what is not there
  AttrReader r(m.payload.subspan(at));
  Attr a;
  while (r.next(a)) {
    if (a.type == NLMSGERR_ATTR_MSG) kernel_msg = a.get_string();
  }
  return true;
}

int read_done_errno(const Message& m) {
  if (m.payload.size() < sizeof(std::int32_t)) return 0;
  return negate(load<std::int32_t>(m.payload.data()));
}

Error malformed(std::string_view what, std::string_view why) {
  std::string m(what);
  m += ": malformed netlink reply: ";
  m += why;
  return Error(ErrorCode::kProtocol, std::move(m));
}

std::string printable(std::string_view s, std::size_t max) {
  std::string out;
  for (char c : s.substr(0, max)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (s.size() > max) out += "...";
  return out;
}

MessageBuilder::MessageBuilder(std::uint16_t type, std::uint16_t flags, std::uint32_t seq,
                               std::uint32_t pid, std::size_t reserve) {
  buf_.reserve(std::max(reserve, kMessageHeaderSize));
  buf_.resize(kMessageHeaderSize);
  std::memcpy(buf_.data() + 4, &type, 2);
  std::memcpy(buf_.data() + 6, &flags, 2);
  std::memcpy(buf_.data() + 8, &seq, 4);
  std::memcpy(buf_.data() + 12, &pid, 4);
}

void MessageBuilder::put_header(const void* data, std::size_t len) {
  const std::size_t at = buf_.size();
  buf_.resize(at + align4(len));  // zero padding
  std::memcpy(buf_.data() + at, data, len);
}

void MessageBuilder::put(std::uint16_t type, const void* data, std::size_t len) {
  assert(len + kAttrHeaderSize <= 0xffff);
  const std::size_t at = buf_.size();
  const auto attr_len = static_cast<std::uint16_t>(len + kAttrHeaderSize);
  buf_.resize(at + align4(attr_len));
  std::memcpy(buf_.data() + at, &attr_len, 2);
  std::memcpy(buf_.data() + at + 2, &type, 2);
  if (data != nullptr && len != 0) std::memcpy(buf_.data() + at + kAttrHeaderSize, data, len);
}

void MessageBuilder::put_string(std::uint16_t type, std::string_view s) {
  const std::size_t at = buf_.size();
  put(type, nullptr, s.size() + 1);
  std::memcpy(buf_.data() + at + kAttrHeaderSize, s.data(), s.size());  // NUL from resize
}

std::size_t MessageBuilder::begin_nest(std::uint16_t type) {
  const std::size_t at = buf_.size();
  put(static_cast<std::uint16_t>(type | kAttrNested), nullptr, 0);
  return at;
}

void MessageBuilder::end_nest(std::size_t offset) {
  assert(buf_.size() - offset <= 0xffff);
  const auto len = static_cast<std::uint16_t>(buf_.size() - offset);
  std::memcpy(buf_.data() + offset, &len, 2);
}

std::vector<std::uint8_t> MessageBuilder::finish() {
  const auto len = static_cast<std::uint32_t>(buf_.size());
  std::memcpy(buf_.data(), &len, 4);
  return std::move(buf_);
}

}  // namespace wgtrack::netlink
