// FakeHttpClient: a recording HttpClient for unit tests of the sinks that post (webhook,
// influx_http). Like the real client it never answers inside post(): requests stay pending
// until the test answers them, in order or one by one:
//
//   FakeHttpClient http;
//   sink.publish(event);                       // the code under test calls post(...)
//   ASSERT_EQ(http.pending(), 1u);
//   EXPECT_EQ(http.requests[0].body, "...");   // everything ever posted, in order
//   http.respond(500);                         // the oldest pending request gets a 500
//   http.fail(ErrorCode::kTimeout);            // ... or a transport error
#pragma once

#include <cassert>
#include <cstddef>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "http_client/http_client.h"

namespace wgtrack::testing {

class FakeHttpClient final : public HttpClient {
 public:
  void post(HttpClientRequest request, Done done) override {
    requests.push_back(request);
    pending_.push_back({std::move(request), std::move(done)});
  }

  std::size_t pending() const { return pending_.size(); }
  const HttpClientRequest& oldest_pending() const {
    assert(!pending_.empty());
    return pending_.front().request;
  }

  // Answers the oldest pending request with `status` (and `body`).
  void respond(unsigned status, std::string body = {}) {
    complete(HttpClientResponse{status, std::move(body)});
  }
  // Fails the oldest pending request with a transport error.
  void fail(ErrorCode code, std::string message = "fake transport error") {
    complete(Error(code, std::move(message)));
  }
  // Answers the requests pending now (not those their callbacks post) with `status`; returns
  // how many.
  std::size_t respond_all(unsigned status) {
    std::size_t n = pending_.size();
    for (std::size_t i = 0; i < n; ++i) respond(status);
    return n;
  }

  std::vector<HttpClientRequest> requests;  // every request ever posted, in order

 private:
  struct Pending {
    HttpClientRequest request;
    Done done;
  };
  void complete(Result<HttpClientResponse> result) {
    assert(!pending_.empty());
    Pending p = std::move(pending_.front());
    pending_.pop_front();
    p.done(std::move(result));
  }
  std::deque<Pending> pending_;
};

}  // namespace wgtrack::testing
