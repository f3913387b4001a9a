#include "http/basic_auth.h"

#include <crypt.h>
#include <gtest/gtest.h>

#include <memory>

#include "support/fake_clock.h"

namespace wgtrack::http {
namespace {

using testing::FakeClock;
using Verdict = BasicAuth::Verdict;

// A crypt(3) hash of `password` with a fresh salt of the given method ("$5$", "$y$", "$2b$").
// `count` 0 = the method's default cost; tests use the cheapest to stay fast.
std::string hash_of(const std::string& password, const char* prefix, unsigned long count = 0) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  EXPECT_NE(crypt_gensalt_rn(prefix, count, nullptr, 0, salt, sizeof salt), nullptr);
  auto data = std::make_unique<crypt_data>();
  const char* h = crypt_rn(password.c_str(), salt, data.get(), sizeof(crypt_data));
  EXPECT_NE(h, nullptr);
  return h;
}

std::string basic(std::string_view base64) { return "Basic " + std::string(base64); }

BasicAuth make_auth(const std::string& hash) {
  BasicAuthOptions o;
  o.user = "prometheus";
  o.password_hash = hash;
  auto a = BasicAuth::create(o);
  EXPECT_TRUE(a.ok()) << (a.ok() ? "" : a.error().message);
  return std::move(a).value();
}

// "prometheus:s3cret" and variants, base64 (computed with `printf %s ... | base64`).
constexpr const char* kGood = "cHJvbWV0aGV1czpzM2NyZXQ=";       // prometheus:s3cret
constexpr const char* kWrongPw = "cHJvbWV0aGV1czpzM2NyZXU=";    // prometheus:s3creu
constexpr const char* kWrongUser = "cHJvbWV0aGV1eDpzM2NyZXQ=";  // prometheux:s3cret
constexpr const char* kNoColon = "cHJvbWV0aGV1cw==";            // prometheus

TEST(BasicAuthBase64, DecodesStrictStandardAlphabet) {
  EXPECT_EQ(*BasicAuth::decode_base64(kGood), "prometheus:s3cret");
  EXPECT_EQ(*BasicAuth::decode_base64("YQ=="), "a");
  EXPECT_EQ(*BasicAuth::decode_base64("YWI="), "ab");
  EXPECT_EQ(*BasicAuth::decode_base64(""), "");
  for (const char* bad : {"YQ", "Y===", "YQ=a", "YQ==YQ==", "Y-_a", "YW I", "YR==", "YWJ="}) {
    EXPECT_FALSE(BasicAuth::decode_base64(bad).ok()) << bad;
  }
}

TEST(BasicAuth, AcceptsRightCredentialsForEachSupportedHashMethod) {
  FakeClock clock;
  for (const char* prefix : {"$5$", "$6$", "$y$", "$2b$"}) {
    unsigned long cost = std::string(prefix) == "$2b$" ? 4 : 0;  // bcrypt's minimum
    auto auth = make_auth(hash_of("s3cret", prefix, cost));
    EXPECT_EQ(auth.check(basic(kGood), clock.mono_now()), Verdict::kOk) << prefix;
    EXPECT_EQ(auth.check(basic(kWrongPw), clock.mono_now()), Verdict::kWrong) << prefix;
  }
}

TEST(BasicAuth, RejectsWrongUserMissingAndMalformedHeaders) {
  FakeClock clock;
  auto auth = make_auth(hash_of("s3cret", "$5$"));
  auto now = clock.mono_now();
  EXPECT_EQ(auth.check(basic(kWrongUser), now), Verdict::kWrong);
  EXPECT_EQ(auth.check("", now), Verdict::kMissing);
  EXPECT_EQ(auth.check("Bearer abc", now), Verdict::kMalformed);
  EXPECT_EQ(auth.check("Basic", now), Verdict::kMalformed);
  EXPECT_EQ(auth.check("Basic !!!!", now), Verdict::kMalformed);
  EXPECT_EQ(auth.check(basic(kNoColon), now), Verdict::kMalformed);
  // "prometheus:s3cret\0x": crypt() would stop at the NUL and accept it.
  EXPECT_EQ(auth.check(basic("cHJvbWV0aGV1czpzM2NyZXQAeA=="), now), Verdict::kMalformed);
  // Scheme is case-insensitive (RFC 7617 section 2), extra spaces tolerated.
  EXPECT_EQ(auth.check(std::string("bAsIc   ") + kGood + " ", now), Verdict::kOk);
  EXPECT_EQ(auth.stats().verifications, 2u);  // malformed ones never reach crypt
}

TEST(BasicAuth, CachesSuccessUntilTtlThenVerifiesAgain) {
  FakeClock clock;
  BasicAuthOptions o{"prometheus", hash_of("s3cret", "$y$"), {}, std::chrono::seconds(300), 4};
  auto auth = std::move(BasicAuth::create(o)).value();
  EXPECT_EQ(auth.check(basic(kGood), clock.mono_now()), Verdict::kOk);
  EXPECT_EQ(auth.stats().verifications, 1u);
  for (int scrape = 0; scrape < 10; ++scrape) {
    clock.advance(std::chrono::seconds(15));
    EXPECT_EQ(auth.check(basic(kGood), clock.mono_now()), Verdict::kOk);
  }
  EXPECT_EQ(auth.stats().verifications, 1u);
  EXPECT_EQ(auth.stats().cache_hits, 10u);
  clock.advance(std::chrono::seconds(300));  // the entry (from t=0) is now expired
  EXPECT_EQ(auth.check(basic(kGood), clock.mono_now()), Verdict::kOk);
  EXPECT_EQ(auth.stats().verifications, 2u);
}

TEST(BasicAuth, FailuresAreNotCached) {
  FakeClock clock;
  auto auth = make_auth(hash_of("s3cret", "$5$"));
  EXPECT_EQ(auth.check(basic(kWrongPw), clock.mono_now()), Verdict::kWrong);
  EXPECT_EQ(auth.check(basic(kWrongPw), clock.mono_now()), Verdict::kWrong);
  EXPECT_EQ(auth.stats().verifications, 2u);
  EXPECT_EQ(auth.stats().cache_hits, 0u);
}

TEST(BasicAuth, CacheMissesAreRateLimitedButCacheHitsAreNot) {
  FakeClock clock;
  BasicAuthOptions o{"prometheus", hash_of("s3cret", "$5$")};
  o.max_verifications_per_second = 2;  // burst 4
  auto auth = std::move(BasicAuth::create(o)).value();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(auth.check(basic(kWrongPw), clock.mono_now()), Verdict::kWrong);
  }
  EXPECT_EQ(auth.check(basic(kGood), clock.mono_now()), Verdict::kOk);  // 4th token
  EXPECT_EQ(auth.check(basic(kWrongPw), clock.mono_now()), Verdict::kThrottled);
  EXPECT_EQ(auth.check(basic(kGood), clock.mono_now()), Verdict::kOk);  // cached: no token
  EXPECT_EQ(auth.stats().verifications, 4u);
  EXPECT_EQ(auth.stats().throttled, 1u);
  clock.advance(std::chrono::milliseconds(499));  // 0.998 tokens: still none
  EXPECT_EQ(auth.check(basic(kWrongPw), clock.mono_now()), Verdict::kThrottled);
  clock.advance(std::chrono::milliseconds(1));
  EXPECT_EQ(auth.check(basic(kWrongPw), clock.mono_now()), Verdict::kWrong);
  EXPECT_EQ(auth.check(basic(kWrongPw), clock.mono_now()), Verdict::kThrottled);
  EXPECT_EQ(auth.stats().verifications, 5u);
}

TEST(BasicAuth, CreateRejectsBadUserOrHash) {
  EXPECT_FALSE(BasicAuth::create({"", hash_of("x", "$5$")}).ok());
  EXPECT_FALSE(BasicAuth::create({"a:b", hash_of("x", "$5$")}).ok());
  EXPECT_FALSE(BasicAuth::create({"u", "s3cret"}).ok());  // a plain password is not a hash
  EXPECT_FALSE(BasicAuth::create({"u", ""}).ok());
  EXPECT_FALSE(BasicAuth::create({"u", "$9$nope"}).ok());
}

TEST(BasicAuth, ExemptPathsAreExact) {
  auto auth = make_auth(hash_of("s3cret", "$5$"));
  EXPECT_TRUE(auth.exempt("/healthz"));
  EXPECT_FALSE(auth.exempt("/healthz/"));
  EXPECT_FALSE(auth.exempt("/metrics"));
}

TEST(ConstantTimeEquals, ComparesContentAndLength) {
  EXPECT_TRUE(constant_time_equals("abc", "abc"));
  EXPECT_FALSE(constant_time_equals("abc", "abd"));
  EXPECT_FALSE(constant_time_equals("abc", std::string_view("abc\0", 4)));
  EXPECT_TRUE(constant_time_equals("", ""));
}

}  // namespace
}  // namespace wgtrack::http
