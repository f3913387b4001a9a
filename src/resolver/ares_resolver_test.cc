// AresResolver against a scripted DNS server on a loopback UDP port of this test (no root, no
// network): both families with TTLs, NXDOMAIN, a family that times out (partial answer), a
// server that refuses or never answers, the queue limit, and destruction with lookups in flight.
#include "resolver/ares_resolver.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

// c-ares 1.18.1 leaks the name (strlen + 1 bytes) of every answer it takes from /etc/hosts
// (c-ares/c-ares#439, fixed upstream later). LeakSanitizer calls this hook of the test binary:
// allocations made inside libcares are not reported, ours still are.
extern "C" const char* __lsan_default_suppressions() { return "leak:libcares.so\n"; }

namespace wgtrack {
namespace {

namespace asio = boost::asio;
using asio::ip::udp;
using endpoint::HostAnswer;
using endpoint::is_permanent_dns_error;
using Clock = std::chrono::steady_clock;

constexpr std::uint16_t kTypeA = 1, kTypeAAAA = 28;

// Answers A/AAAA queries from a table; names it does not know get NXDOMAIN; (name, type) pairs
// in `silent` get no reply at all.
class FakeDnsServer {
 public:
  struct Rr {
    std::uint16_t type;
    std::vector<std::uint8_t> rdata;
    std::uint32_t ttl;
  };

  explicit FakeDnsServer(asio::io_context& io) : socket_(io, udp::endpoint(udp::v4(), 0)) {
    receive();
  }
  std::string address() const {
    return "127.0.0.1:" + std::to_string(socket_.local_endpoint().port());
  }
  void add(const std::string& name, const std::string& address, std::uint32_t ttl) {
    auto ep = Endpoint::parse_address(address, 0);
    ASSERT_TRUE(ep.ok());
    const bool v4 = ep->family() == IpFamily::kIPv4;
    Rr rr{v4 ? kTypeA : kTypeAAAA, {}, ttl};
    rr.rdata.assign(ep->address().begin(), ep->address().begin() + (v4 ? 4 : 16));
    records_[name].push_back(rr);
  }
  void known(const std::string& name) { records_[name]; }
  void silence(const std::string& name, std::uint16_t type) { silent_[{name, type}] = true; }
  int queries = 0;

 private:
  void receive() {
    socket_.async_receive_from(asio::buffer(buf_), from_, [this](auto ec, std::size_t n) {
      if (ec) return;
      answer(n);
      receive();
    });
  }
  void answer(std::size_t n) {
    ++queries;
    if (n < 12) return;
    // Question: labels from offset 12, then type and class.
    std::string name;
    std::size_t p = 12;
    while (p < n && buf_[p] != 0) {
      if (!name.empty()) name += '.';
      name.append(reinterpret_cast<const char*>(&buf_[p + 1]), buf_[p]);
      p += 1 + buf_[p];
    }
    if (p + 5 > n) return;
    const std::uint16_t type = static_cast<std::uint16_t>(buf_[p + 1] << 8 | buf_[p + 2]);
    const std::size_t question_end = p + 5;
    if (silent_.count({name, type})) return;
    std::vector<std::uint8_t> out(buf_.begin(), buf_.begin() + question_end);
    out[2] = 0x81;                                              // QR, RD
    out[3] = 0x80;                                              // RA, rcode 0
    out[6] = out[7] = out[8] = out[9] = out[10] = out[11] = 0;  // AN, NS, AR counts
    auto it = records_.find(name);
    if (it == records_.end()) {
      out[3] |= 3;  // NXDOMAIN
    } else {
      std::uint16_t count = 0;
      for (const Rr& rr : it->second) {
        if (rr.type != type) continue;
        ++count;
        const std::uint8_t head[] = {0xc0,
                                     12,
                                     std::uint8_t(rr.type >> 8),
                                     std::uint8_t(rr.type),
                                     0,
                                     1,
                                     std::uint8_t(rr.ttl >> 24),
                                     std::uint8_t(rr.ttl >> 16),
                                     std::uint8_t(rr.ttl >> 8),
                                     std::uint8_t(rr.ttl),
                                     0,
                                     std::uint8_t(rr.rdata.size())};
        out.insert(out.end(), std::begin(head), std::end(head));
        out.insert(out.end(), rr.rdata.begin(), rr.rdata.end());
      }
      out[7] = static_cast<std::uint8_t>(count);
    }
    socket_.send_to(asio::buffer(out), from_);
  }

  udp::socket socket_;
  udp::endpoint from_;
  std::array<std::uint8_t, 1500> buf_{};
  std::map<std::string, std::vector<Rr>> records_;
  std::map<std::pair<std::string, std::uint16_t>, bool> silent_;
};

class AresResolverTest : public ::testing::Test {
 protected:
  AresResolverOptions options(const std::string& servers) {
    AresResolverOptions o;
    o.servers = servers;
    o.timeout = std::chrono::milliseconds(200);
    o.tries = 1;
    return o;
  }
  // Resolves and runs the loop until the answer came (or 10 s).
  HostAnswer run(Resolver& r, const std::string& host) {
    std::optional<HostAnswer> got;
    bool inside = true;
    r.resolve(host, [&](HostAnswer a) {
      EXPECT_FALSE(inside) << "done ran inside resolve()";
      EXPECT_FALSE(got) << "done ran twice";
      got = std::move(a);
    });
    inside = false;
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (!got && Clock::now() < deadline) io.run_one_for(std::chrono::milliseconds(50));
    io.restart();
    if (!got) return Error(ErrorCode::kTimeout, "test: no answer within 10 s");
    return std::move(*got);
  }
  static std::vector<std::string> texts(const HostAnswer& a) {
    std::vector<std::string> out;
    for (const auto& r : a->addresses) {
      out.push_back(r.address.address_string() + "/" + std::to_string(r.ttl.count()));
    }
    return out;
  }

  asio::io_context io;
};

TEST_F(AresResolverTest, BothFamiliesWithTtls) {
  FakeDnsServer dns(io);
  dns.add("vpn.lab.test", "198.51.100.7", 42);
  dns.add("vpn.lab.test", "198.51.100.8", 42);
  dns.add("vpn.lab.test", "2001:db8::7", 43);
  AresResolver r(io, options(dns.address()));
  HostAnswer a = run(r, "vpn.lab.test");
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(texts(a),
            (std::vector<std::string>{"2001:db8::7/43", "198.51.100.7/42", "198.51.100.8/42"}));
  EXPECT_EQ(r.stats().answered, 1u);
  EXPECT_EQ(r.in_flight(), 0u);
}

TEST_F(AresResolverTest, UnknownNameIsPermanentAndOneMissingFamilyIsFine) {
  FakeDnsServer dns(io);
  dns.add("v4only.lab.test", "198.51.100.9", 60);
  dns.known("empty.lab.test");
  AresResolver r(io, options(dns.address()));
  HostAnswer nx = run(r, "nosuch.lab.test");
  ASSERT_FALSE(nx.ok());
  EXPECT_TRUE(is_permanent_dns_error(nx.error())) << nx.error().message;
  EXPECT_EQ(nx.error().message, "nosuch.lab.test: no such host");
  HostAnswer v4 = run(r, "v4only.lab.test");
  ASSERT_TRUE(v4.ok()) << v4.error().message;
  EXPECT_EQ(texts(v4), (std::vector<std::string>{"198.51.100.9/60"}));
  HostAnswer none = run(r, "empty.lab.test");
  ASSERT_FALSE(none.ok());
  EXPECT_TRUE(is_permanent_dns_error(none.error())) << none.error().message;
  EXPECT_EQ(r.stats().permanent_errors, 2u);
}

TEST_F(AresResolverTest, FamilyTimingOutGivesAPartialAnswerAndSaysSo) {
  FakeDnsServer dns(io);
  dns.add("half.lab.test", "198.51.100.10", 30);
  dns.add("half.lab.test", "2001:db8::10", 30);
  dns.silence("half.lab.test", kTypeAAAA);
  auto o = options(dns.address());
  std::vector<std::string> partial;
  o.on_partial = [&](const std::string& host, const Error& e) {
    partial.push_back(host + " | " + e.message);
  };
  AresResolver r(io, o);
  const auto t0 = Clock::now();
  HostAnswer a = run(r, "half.lab.test");
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(texts(a), (std::vector<std::string>{"198.51.100.10/30"}));
  EXPECT_EQ(partial,
            (std::vector<std::string>{"half.lab.test | half.lab.test: DNS timeout (AAAA)"}));
  EXPECT_EQ(r.stats().partial, 1u);
  EXPECT_LT(Clock::now() - t0, std::chrono::seconds(2));
}

TEST_F(AresResolverTest, SilentServerIsTransientWithinTheTimeout) {
  udp::socket silent(io, udp::endpoint(udp::v4(), 0));  // bound, never read
  auto o = options("127.0.0.1:" + std::to_string(silent.local_endpoint().port()));
  o.tries = 2;  // 200 ms + 400 ms
  AresResolver r(io, o);
  const auto t0 = Clock::now();
  HostAnswer a = run(r, "vpn.lab.test");
  const auto took = Clock::now() - t0;
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, ErrorCode::kTransient) << a.error().message;
  EXPECT_NE(a.error().message.find("timeout"), std::string::npos) << a.error().message;
  EXPECT_GE(took, std::chrono::milliseconds(550));
  EXPECT_LT(took, std::chrono::milliseconds(2000));
  EXPECT_EQ(r.stats().transient_errors, 1u);
}

TEST_F(AresResolverTest, RefusingPortIsTransient) {
  std::uint16_t port;
  {
    udp::socket s(io, udp::endpoint(udp::v4(), 0));
    port = s.local_endpoint().port();
  }  // closed: the port now answers with ICMP port unreachable
  AresResolver r(io, options("127.0.0.1:" + std::to_string(port)));
  HostAnswer a = run(r, "vpn.lab.test");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, ErrorCode::kTransient) << a.error().message;
  EXPECT_FALSE(is_permanent_dns_error(a.error()));
}

TEST_F(AresResolverTest, BadServerSpecIsATransientAnswerNotAnException) {
  AresResolver r(io, options("not a server"));
  HostAnswer a = run(r, "vpn.lab.test");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, ErrorCode::kTransient);
  EXPECT_NE(a.error().message.find("not a server"), std::string::npos) << a.error().message;
}

TEST_F(AresResolverTest, IpLiteralsAreAnsweredWithoutDnsButStillPosted) {
  FakeDnsServer dns(io);
  AresResolver r(io, options(dns.address()));
  HostAnswer v4 = run(r, "192.0.2.1");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(texts(v4), (std::vector<std::string>{"192.0.2.1/0"}));
  HostAnswer v6 = run(r, "2001:db8::1");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(texts(v6), (std::vector<std::string>{"2001:db8::1/0"}));
  EXPECT_EQ(dns.queries, 0);
  HostAnswer empty = run(r, "");
  ASSERT_FALSE(empty.ok());
  EXPECT_TRUE(is_permanent_dns_error(empty.error()));
}

// /etc/hosts answers from inside ares_getaddrinfo (no socket): `done` must still come later
// (run() checks it), and the DNS server is never asked for A.
TEST_F(AresResolverTest, HostsFileAnswersSynchronouslyButDoneIsPosted) {
  std::FILE* hosts = std::fopen("/etc/hosts", "r");
  bool listed = false;
  if (hosts != nullptr) {
    char line[512];
    while (std::fgets(line, sizeof line, hosts)) {
      listed = listed || std::string(line).rfind("127.0.0.1 localhost", 0) == 0 ||
               std::string(line).rfind("127.0.0.1\tlocalhost", 0) == 0;
    }
    std::fclose(hosts);
  }
  if (!listed) GTEST_SKIP() << "/etc/hosts has no '127.0.0.1 localhost' line";
  FakeDnsServer dns(io);
  AresResolver r(io, options(dns.address()));
  HostAnswer a = run(r, "localhost");
  ASSERT_TRUE(a.ok()) << a.error().message;
  bool has_v4 = false;
  for (const auto& x : a->addresses) has_v4 = has_v4 || x.address.address_string() == "127.0.0.1";
  EXPECT_TRUE(has_v4);
}

TEST_F(AresResolverTest, ManyHostsBeyondTheLimitAllComplete) {
  FakeDnsServer dns(io);
  for (int i = 0; i < 20; ++i) dns.add("h" + std::to_string(i) + ".lab.test", "192.0.2.1", 5);
  auto o = options(dns.address());
  o.max_in_flight = 3;
  AresResolver r(io, o);
  std::vector<int> done;
  for (int i = 0; i < 20; ++i) {
    r.resolve("h" + std::to_string(i) + ".lab.test", [&done, i](HostAnswer a) {
      EXPECT_TRUE(a.ok());
      done.push_back(i);
    });
  }
  EXPECT_EQ(r.in_flight(), 3u);
  EXPECT_EQ(r.queued(), 17u);
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (done.size() < 20 && Clock::now() < deadline) io.run_one_for(std::chrono::milliseconds(50));
  ASSERT_EQ(done.size(), 20u);
  EXPECT_EQ(r.in_flight(), 0u);
  EXPECT_EQ(r.queued(), 0u);
}

TEST_F(AresResolverTest, ResolvConfChangesRebuildTheChannelBetweenLookups) {
  char path[] = "/tmp/wgtrack-resolv.XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  auto write = [&](const char* text) {
    std::FILE* f = std::fopen(path, "w");
    std::fputs(text, f);
    std::fclose(f);
  };
  write("nameserver 127.0.0.1\n");
  AresResolverOptions o;
  o.resolv_conf = path;
  o.timeout = std::chrono::milliseconds(100);
  o.tries = 1;
  AresResolver r(io, o);
  (void)run(r, "vpn.lab.test");  // whatever 127.0.0.1:53 says: only the channel matters here
  EXPECT_EQ(r.stats().channel_inits, 1u);
  (void)run(r, "vpn.lab.test");
  EXPECT_EQ(r.stats().channel_inits, 1u);  // unchanged file: same channel
  write("nameserver 127.0.0.1\noptions ndots:1\n");
  (void)run(r, "vpn.lab.test");
  EXPECT_EQ(r.stats().channel_inits, 2u);
  ::unlink(path);
}

TEST_F(AresResolverTest, DestroyedWithLookupsInFlightDropsThemAndReleasesFds) {
  udp::socket silent(io, udp::endpoint(udp::v4(), 0));
  auto open_fds = [] {
    std::size_t n = 0;
    for (auto it = std::filesystem::directory_iterator("/proc/self/fd");
         it != std::filesystem::directory_iterator(); ++it) {
      ++n;
    }
    return n;
  };
  const std::size_t fds_before = open_fds();
  int called = 0;
  {
    AresResolver r(io, options("127.0.0.1:" + std::to_string(silent.local_endpoint().port())));
    r.resolve("vpn.lab.test", [&](HostAnswer) { ++called; });
    io.run_for(std::chrono::milliseconds(20));
    EXPECT_GE(r.watched_fds(), 1u);
  }
  io.restart();
  io.run_for(std::chrono::milliseconds(300));
  EXPECT_EQ(called, 0);
  EXPECT_EQ(open_fds(), fds_before);  // c-ares closed its sockets, asio closed none twice
}

}  // namespace
}  // namespace wgtrack
