// BeastHttpClient over https against a real TLS server on 127.0.0.1 with a self-signed
// certificate made by the test (OpenSSL, EC P-256, subjectAltName DNS:localhost): verification
// with a CA file passes, with the system CAs it fails as kPermissionDenied, a certificate that
// does not name the URL's host fails, and tls_verify = false accepts it. Loopback only.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cstdio>
#include <fstream>
#include <optional>

#include "http_client/beast_http_client.h"
#include "http_client/testing/test_http_receiver.h"
#include "support/fake_resolver.h"

namespace wgtrack {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using namespace std::chrono_literals;

struct PemPair {
  std::string cert, key;
};

std::string bio_string(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(n));
}

// A self-signed certificate for DNS:localhost, valid for a day.
PemPair make_self_signed() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), -60);
  X509_gmtime_adj(X509_getm_notAfter(x), 86400);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(x, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair{NID_subject_alt_name, "DNS:localhost"},
                            std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
  }
  X509_sign(x, key, EVP_sha256());
  BIO* cb = BIO_new(BIO_s_mem());
  BIO* kb = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(cb, x);
  PEM_write_bio_PrivateKey(kb, key, nullptr, nullptr, 0, nullptr, nullptr);
  PemPair out{bio_string(cb), bio_string(kb)};
  BIO_free(cb);
  BIO_free(kb);
  X509_free(x);
  EVP_PKEY_free(key);
  return out;
}

// Accepts TLS connections on 127.0.0.1 and answers every request 200 "tls ok".
class TlsReceiver {
 public:
  TlsReceiver(asio::io_context& io, const PemPair& pem)
      : io_(io),
        ctx_(asio::ssl::context::tls_server),
        acceptor_(io, {asio::ip::make_address("127.0.0.1"), 0}) {
    ctx_.use_certificate_chain(asio::buffer(pem.cert));
    ctx_.use_private_key(asio::buffer(pem.key), asio::ssl::context::pem);
    asio::co_spawn(io_, accept_loop(), asio::detached);
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  int requests = 0;

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      asio::co_spawn(io_, serve(std::move(socket)), asio::detached);
    }
  }
  asio::awaitable<void> serve(asio::ip::tcp::socket socket) {
    constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
    beast::ssl_stream<asio::ip::tcp::socket> stream(std::move(socket), ctx_);
    auto [hec] = co_await stream.async_handshake(asio::ssl::stream_base::server, kAwait);
    if (hec) co_return;  // the client rejected our certificate
    beast::flat_buffer buffer;
    bhttp::request<bhttp::string_body> req;
    auto [rec, n] = co_await bhttp::async_read(stream, buffer, req, kAwait);
    if (rec) co_return;
    ++requests;
    bhttp::response<bhttp::string_body> res{bhttp::status::ok, 11};
    res.body() = "tls ok";
    res.prepare_payload();
    auto [wec, w] = co_await bhttp::async_write(stream, res, kAwait);
    (void)n;
    (void)wec;
    (void)w;
  }

  asio::io_context& io_;
  asio::ssl::context ctx_;
  asio::ip::tcp::acceptor acceptor_;
};

class BeastHttpsTest : public ::testing::Test {
 protected:
  BeastHttpsTest() : pem_(make_self_signed()), server_(io_, pem_) {
    ca_file_ = ::testing::TempDir() + "wgtrack_tls_test_ca.pem";
    std::ofstream(ca_file_) << pem_.cert;
    dns_.set_answer("localhost", testing::FakeResolver::answer({{"127.0.0.1", 60}}));
  }
  ~BeastHttpsTest() override { std::remove(ca_file_.c_str()); }

  Result<HttpClientResponse> post(HttpClientOptions options, const std::string& host) {
    BeastHttpClient client(io_, &dns_, std::move(options));
    std::optional<Result<HttpClientResponse>> result;
    client.post({.url = "https://" + host + ":" + std::to_string(server_.port()) + "/x",
                 .body = "hello",
                 .timeout = 5s},
                [&](Result<HttpClientResponse> r) { result.emplace(std::move(r)); });
    dns_.deliver();
    EXPECT_TRUE(testing::run_until(io_, [&] { return result.has_value(); }));
    if (!result) return Error(ErrorCode::kProtocol, "no answer");
    return std::move(*result);
  }

  asio::io_context io_;
  PemPair pem_;
  TlsReceiver server_;
  testing::FakeResolver dns_;
  std::string ca_file_;
};

TEST_F(BeastHttpsTest, VerifiesAgainstTheGivenCaFileAndHostName) {
  auto r = post({.ca_file = ca_file_}, "localhost");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->body, "tls ok");
  EXPECT_EQ(server_.requests, 1);
}

TEST_F(BeastHttpsTest, SelfSignedCertificateFailsAgainstTheSystemCas) {
  auto r = post({}, "localhost");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied) << r.error().message;
  EXPECT_EQ(server_.requests, 0);
}

TEST_F(BeastHttpsTest, CertificateThatDoesNotNameTheHostFails) {
  auto r = post({.ca_file = ca_file_}, "127.0.0.1");  // the certificate names localhost only
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied) << r.error().message;
}

TEST_F(BeastHttpsTest, VerificationOffAcceptsAnyCertificate) {
  auto r = post({.tls_verify = false}, "127.0.0.1");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200u);
}

TEST_F(BeastHttpsTest, UnreadableCaFileIsInvalidInput) {
  auto r = post({.ca_file = "/nonexistent/ca.pem"}, "localhost");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput) << r.error().message;
}

}  // namespace
}  // namespace wgtrack
