// Loading a client certificate and key: every problem is config_invalid and names the file it is in.
// The successful path (sign, log in) runs against the real server in tests/e2e/cert.
#include "tls/client_credential.hpp"

#include <catch2/catch.hpp>

using namespace vpnse;

namespace {

std::string load_error(std::string_view certificate, std::string_view key) {
    auto credential = tls::ClientCredential::load(as_bytes(certificate), as_bytes(key),
                                                  "auth.cert_file c.pem", "auth.key_file k.pem");
    REQUIRE_FALSE(credential.ok());
    CHECK(credential.error().code() == ErrorCode::config_invalid);
    return credential.error().message();
}

// A syntactically valid PEM frame around bytes that are not a certificate or key.
const std::string kBogusCertificate = "-----BEGIN CERTIFICATE-----\nMAMCAQA=\n-----END CERTIFICATE-----\n";
const std::string kBogusKey = "-----BEGIN PRIVATE KEY-----\nMAMCAQA=\n-----END PRIVATE KEY-----\n";

}  // namespace

TEST_CASE("unusable certificates and keys are refused with the file named") {
    CHECK_THAT(load_error("", kBogusKey),
               Catch::Matchers::StartsWith("auth.cert_file c.pem: not an X.509 certificate in PEM or DER"));
    CHECK_THAT(load_error("hello", kBogusKey),
               Catch::Matchers::StartsWith("auth.cert_file c.pem: not an X.509 certificate in PEM or DER"));
    CHECK_THAT(load_error(kBogusCertificate, kBogusKey),
               Catch::Matchers::StartsWith("auth.cert_file c.pem: not an X.509 certificate in PEM or DER"));
    CHECK_THAT(load_error(std::string("\x30\x82\xff\xff", 4), kBogusKey),
               Catch::Matchers::StartsWith("auth.cert_file c.pem: not an X.509 certificate"));
}
