// FakeResolver: a scriptable, recording Resolver for unit and scenario tests. Like the real one
// it never calls `done` from inside resolve(): requests stay pending until the test delivers
// them, typically after advancing its fake clock:
//
//   FakeResolver dns;
//   dns.set_answer("vpn.example.net", FakeResolver::answer({{"192.0.2.7", 300}}));
//   dns.set_answer("gone.example.net", FakeResolver::not_found());
//   manager.tick();                      // the code under test calls resolve(...)
//   dns.deliver();                       // every pending request completes
//   EXPECT_EQ(dns.calls, (std::vector<std::string>{"vpn.example.net"}));
#pragma once

#include <cassert>
#include <chrono>
#include <cstdint>
#include <deque>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "endpoint/endpoint_types.h"
#include "resolver/resolver.h"

namespace wgtrack::testing {

class FakeResolver final : public Resolver {
 public:
  using HostAnswer = endpoint::HostAnswer;

  struct Record {
    std::string_view address;  // "192.0.2.7", "2001:db8::7"
    std::int64_t ttl_seconds;
  };
  // An answer with these addresses in this order (the test's own input: aborts on a bad address).
  static HostAnswer answer(std::initializer_list<Record> records) {
    endpoint::DnsAnswer a;
    for (const Record& r : records) {
      auto ep = Endpoint::parse_address(r.address, 0);
      assert(ep.ok());
      a.addresses.push_back({*ep, std::chrono::seconds(r.ttl_seconds)});
    }
    return a;
  }
  static HostAnswer not_found(std::string host = "fake") {
    return Error(ErrorCode::kPermanent, host + ": no such host");
  }
  static HostAnswer no_address(std::string host = "fake") {
    return Error(ErrorCode::kPermanent, host + ": no address");
  }
  static HostAnswer timeout(std::string host = "fake") {
    return Error(ErrorCode::kTransient, host + ": DNS timeout (fake)");
  }

  // What resolving `host` returns from now on. Unscripted hosts answer default_answer(), which
  // starts as not_found().
  void set_answer(const std::string& host, HostAnswer a) {
    by_host_.insert_or_assign(host, std::move(a));
  }
  void set_default(HostAnswer a) { default_ = std::move(a); }
  // One-shot answers for `host`, used in order before its set_answer() / the default.
  void push_answer(const std::string& host, HostAnswer a) { queued_[host].push_back(std::move(a)); }

  void resolve(const std::string& host, Done done) override {
    calls.push_back(host);
    pending_.push_back({host, std::move(done), answer_for(host)});
  }

  // Completes every request pending now, in order; requests made by the callbacks stay pending.
  // Returns how many completed.
  std::size_t deliver() {
    std::deque<Pending> now;
    now.swap(pending_);
    for (Pending& p : now) p.done(std::move(p.answer));
    return now.size();
  }
  // Completes only the pending requests for `host`; returns how many.
  std::size_t deliver(const std::string& host) {
    std::deque<Pending> now, keep;
    for (Pending& p : pending_) (p.host == host ? now : keep).push_back(std::move(p));
    pending_.swap(keep);
    for (Pending& p : now) p.done(std::move(p.answer));
    return now.size();
  }
  // Drops every pending request without completing it (as destroying the real resolver does).
  void drop_pending() { pending_.clear(); }
  std::size_t pending() const { return pending_.size(); }

  std::vector<std::string> calls;  // every resolve() call, in order

 private:
  struct Pending {
    std::string host;
    Done done;
    HostAnswer answer;
  };

  HostAnswer answer_for(const std::string& host) {
    if (auto q = queued_.find(host); q != queued_.end() && !q->second.empty()) {
      HostAnswer a = std::move(q->second.front());
      q->second.pop_front();
      return a;
    }
    if (auto it = by_host_.find(host); it != by_host_.end()) return it->second;
    return default_;
  }

  std::map<std::string, HostAnswer> by_host_;
  std::map<std::string, std::deque<HostAnswer>> queued_;
  std::deque<Pending> pending_;
  HostAnswer default_ = not_found();
};

}  // namespace wgtrack::testing
