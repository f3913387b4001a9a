// Feeds arbitrary bytes through the HTTP request path the server runs for every request
// (request_pipeline: Beast's parser with our limits, target decoding, basic auth, routing,
// Accept-Encoding, response serialisation). It must answer or wait for more, never crash; and:
//  - a protected handler never runs without the one valid Authorization token;
//  - every reply carries a Content-Length equal to the body it would send;
//  - a parameter reaching a handler is the decoded segment (no raw '%' escapes left over).
#include <crypt.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "http/request_pipeline.h"

namespace {

using namespace wgtrack::http;  // NOLINT

// base64("u:pw"): the only token that may open protected routes.
constexpr std::string_view kToken = "dTpwdw==";

struct Fixture {
  Router router;
  std::unique_ptr<BasicAuth> auth;
  HttpServerStats stats;
  PipelineContext ctx;
  bool protected_ran = false;
  std::string last_param;

  Fixture() {
    auto ok = [&](const HttpRequest& r) {
      protected_ran = true;
      // As /metrics does: the Accept-Encoding field picks the coding.
      return HttpResponse::text(200, accepts_gzip(r.header("Accept-Encoding")) ? "gz\n" : "ok\n");
    };
    auto param = [&](const HttpRequest& r) {
      protected_ran = true;
      last_param = r.params.empty() ? "" : r.params[0].second;
      return HttpResponse::json(200, "{}");
    };
    if (!router.add("/metrics", ok).ok() || !router.add("/api/v1/peers/{key}", param).ok() ||
        !router.add("/api/v1/interfaces/{name}", param).ok() ||
        !router.add("/static/{rest*}", param).ok() ||
        !router.add("/healthz", [](const HttpRequest&) { return HttpResponse::text(200, "ok\n"); })
             .ok()) {
      std::abort();
    }
    // sha256-crypt at its minimum cost keeps a hit on the right user cheap for the fuzzer.
    auto data = std::make_unique<crypt_data>();
    const char* hash = crypt_rn("pw", "$5$rounds=1000$fuzzsalt", data.get(), sizeof(crypt_data));
    BasicAuthOptions options{"u", hash ? hash : ""};
    // The clock stands still here: a rate limit would soon refuse every verification and hide
    // the crypt path from the fuzzer (the limiter is unit-tested on a fake clock).
    options.max_verifications_per_second = 0;
    auto a = BasicAuth::create(options);
    if (!a.ok()) std::abort();
    auth = std::make_unique<BasicAuth>(std::move(a).value());
    ctx.router = &router;
    ctx.auth = auth.get();
    ctx.stats = &stats;
    ctx.limits.max_header_bytes = 2048;
    ctx.limits.max_header_count = 16;
    ctx.limits.max_body_bytes = 256;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture f;
  f.protected_ran = false;
  f.last_param.clear();
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // Time only dates the auth cache; a fixed instant keeps runs reproducible.
  auto reply = process_request_bytes(f.ctx, bytes, wgtrack::MonoTime(std::chrono::hours(1)));
  if (!reply) return 0;
  if (f.protected_ran && bytes.find(kToken) == std::string_view::npos) std::abort();
  if (f.last_param.find('%') != std::string::npos && bytes.find("%25") == std::string_view::npos) {
    std::abort();
  }
  std::string wire = serialize_reply(*reply, 11);
  std::string length = "Content-Length: " + std::to_string(reply->response.body_view().size());
  if (wire.find(length + "\r\n") == std::string::npos) std::abort();
  bool has_body = wire.size() >= reply->response.body_view().size() &&
                  wire.ends_with(reply->response.body_view());
  if (!reply->head && !has_body) std::abort();
  return 0;
}
