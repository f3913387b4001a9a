// FakeProber: a scriptable, recording Prober for unit and scenario tests. Like the real one it
// never calls `done` from inside probe(): probes stay pending until the test delivers them,
// typically after advancing its fake clock:
//
//   FakeProber prober;
//   prober.set_result(peer_ip, FakeProber::lost());   // this target stops answering
//   daemon.tick();                                    // the daemon calls probe(...)
//   prober.deliver();                                 // every pending probe completes
//   EXPECT_EQ(prober.requests.size(), 3u);
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "probe/prober.h"

namespace wgtrack::testing {

class FakeProber final : public Prober {
 public:
  using Done = std::function<void(const ProbeResult&)>;

  static ProbeResult ok(std::chrono::nanoseconds rtt = std::chrono::milliseconds(1)) {
    ProbeResult r;
    r.ok = true;
    r.rtt = rtt;
    return r;
  }
  static ProbeResult lost() { return failed(ErrorCode::kTimeout, "no echo reply (fake)"); }
  static ProbeResult failed(ErrorCode code, std::string message = "fake prober error") {
    ProbeResult r;
    r.error = Error(code, std::move(message));
    return r;
  }

  // What a probe to `target` (address only) returns from now on; the default is ok().
  void set_result(const Endpoint& target, ProbeResult r) { by_target_[key(target)] = std::move(r); }
  void set_default(ProbeResult r) { default_ = std::move(r); }
  // One-shot results, used in order before any per-target or default result.
  void push_result(ProbeResult r) { queued_.push_back(std::move(r)); }

  void probe(const ProbeRequest& request, Done done) override {
    requests.push_back(request);
    pending_.push_back({request, std::move(done), result_for(request)});
  }

  // Probes in flight on `interface` complete with kNotFound at the next deliver().
  void forget(const std::string& interface) override {
    forgotten.push_back(interface);
    for (Pending& p : pending_) {
      if (p.request.interface == interface) {
        p.result = failed(ErrorCode::kNotFound, interface + ": interface forgotten");
      }
    }
  }

  // Completes every probe pending now, in order; probes started by the callbacks stay pending.
  // Returns how many completed.
  std::size_t deliver() {
    std::deque<Pending> now;
    now.swap(pending_);
    for (Pending& p : now) p.done(p.result);
    return now.size();
  }
  // Drops every pending probe without completing it (as destroying the real prober does).
  void drop_pending() { pending_.clear(); }
  std::size_t pending() const { return pending_.size(); }

  std::vector<ProbeRequest> requests;  // every probe() call, in order
  std::vector<std::string> forgotten;  // every forget() call, in order

 private:
  struct Pending {
    ProbeRequest request;
    Done done;
    ProbeResult result;
  };

  static std::string key(const Endpoint& e) { return e.address_string(); }

  ProbeResult result_for(const ProbeRequest& request) {
    if (!queued_.empty()) {
      ProbeResult r = std::move(queued_.front());
      queued_.pop_front();
      return r;
    }
    auto it = by_target_.find(key(request.target));
    return it != by_target_.end() ? it->second : default_;
  }

  std::deque<Pending> pending_;
  std::deque<ProbeResult> queued_;
  std::map<std::string, ProbeResult> by_target_;
  ProbeResult default_ = ok();
};

}  // namespace wgtrack::testing
