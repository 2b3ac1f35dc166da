// Loading a client certificate and key: every problem is config_invalid and names the file it is in.
// Logging in with it runs against the real server in tests/e2e/cert.
#include "tls/client_credential.hpp"

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>
#include <mbedtls/sha1.h>
#include <mbedtls/x509_crt.h>

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

// A throwaway RSA key and a self-signed certificate for it, made with mbedTLS at test time (no key
// material is committed).

namespace {

struct TestIdentity {
    std::string certificate_pem, key_pem;
    Bytes certificate_der, key_der;
};

class TestRandom {
  public:
    TestRandom() {
        mbedtls_entropy_init(&entropy_);
        mbedtls_ctr_drbg_init(&drbg_);
        REQUIRE(mbedtls_ctr_drbg_seed(&drbg_, mbedtls_entropy_func, &entropy_, nullptr, 0) == 0);
    }
    ~TestRandom() {
        mbedtls_ctr_drbg_free(&drbg_);
        mbedtls_entropy_free(&entropy_);
    }
    mbedtls_ctr_drbg_context* drbg() { return &drbg_; }

  private:
    mbedtls_entropy_context entropy_;
    mbedtls_ctr_drbg_context drbg_;
};

TestIdentity make_identity(TestRandom& random, unsigned bits) {
    mbedtls_pk_context key;
    mbedtls_pk_init(&key);
    REQUIRE(mbedtls_pk_setup(&key, mbedtls_pk_info_from_type(MBEDTLS_PK_RSA)) == 0);
    REQUIRE(mbedtls_rsa_gen_key(mbedtls_pk_rsa(key), mbedtls_ctr_drbg_random, random.drbg(), bits, 65537) ==
            0);
    mbedtls_x509write_cert writer;
    mbedtls_x509write_crt_init(&writer);
    mbedtls_x509write_crt_set_subject_key(&writer, &key);
    mbedtls_x509write_crt_set_issuer_key(&writer, &key);
    REQUIRE(mbedtls_x509write_crt_set_subject_name(&writer, "CN=unit") == 0);
    REQUIRE(mbedtls_x509write_crt_set_issuer_name(&writer, "CN=unit") == 0);
    mbedtls_x509write_crt_set_md_alg(&writer, MBEDTLS_MD_SHA256);
    mbedtls_mpi serial;
    mbedtls_mpi_init(&serial);
    REQUIRE(mbedtls_mpi_lset(&serial, 1) == 0);
    REQUIRE(mbedtls_x509write_crt_set_serial(&writer, &serial) == 0);
    REQUIRE(mbedtls_x509write_crt_set_validity(&writer, "20200101000000", "20991231235959") == 0);

    TestIdentity out;
    std::vector<unsigned char> buffer(8192);
    const int cert_length = mbedtls_x509write_crt_der(&writer, buffer.data(), buffer.size(),
                                                      mbedtls_ctr_drbg_random, random.drbg());
    REQUIRE(cert_length > 0);
    out.certificate_der.assign(buffer.end() - cert_length, buffer.end());
    REQUIRE(mbedtls_x509write_crt_pem(&writer, buffer.data(), buffer.size(), mbedtls_ctr_drbg_random,
                                      random.drbg()) == 0);
    out.certificate_pem = reinterpret_cast<const char*>(buffer.data());
    const int key_length = mbedtls_pk_write_key_der(&key, buffer.data(), buffer.size());
    REQUIRE(key_length > 0);
    out.key_der.assign(buffer.end() - key_length, buffer.end());
    REQUIRE(mbedtls_pk_write_key_pem(&key, buffer.data(), buffer.size()) == 0);
    out.key_pem = reinterpret_cast<const char*>(buffer.data());

    mbedtls_mpi_free(&serial);
    mbedtls_x509write_crt_free(&writer);
    mbedtls_pk_free(&key);
    return out;
}

}  // namespace

TEST_CASE("a loaded credential signs the random as the server verifies it (adv. 2.2)") {
    TestRandom random;
    const auto identity = make_identity(random, 1024);
    for (const bool pem : {true, false}) {
        INFO((pem ? "PEM" : "DER"));
        auto credential =
            pem ? tls::ClientCredential::load(as_bytes(identity.certificate_pem), as_bytes(identity.key_pem),
                                              "c", "k")
                : tls::ClientCredential::load(identity.certificate_der, identity.key_der, "c", "k");
        REQUIRE(credential.ok());
        CHECK((*credential)->certificate_der() == identity.certificate_der);
        const std::array<std::uint8_t, 20> hello_random{1, 2, 3, 4, 5};
        auto signature = (*credential)->sign_random(hello_random);
        REQUIRE(signature.ok());
        CHECK(signature->size() == 128);  // exactly the modulus length

        // RSASSA-PKCS1-v1_5 with SHA-1 over the random, checked with the certificate's public key.
        mbedtls_x509_crt certificate;
        mbedtls_x509_crt_init(&certificate);
        REQUIRE(mbedtls_x509_crt_parse_der(&certificate, identity.certificate_der.data(),
                                           identity.certificate_der.size()) == 0);
        unsigned char hash[20];
        REQUIRE(mbedtls_sha1_ret(hello_random.data(), hello_random.size(), hash) == 0);
        CHECK(mbedtls_pk_verify(&certificate.pk, MBEDTLS_MD_SHA1, hash, sizeof hash, signature->data(),
                                signature->size()) == 0);
        mbedtls_x509_crt_free(&certificate);
    }
}

TEST_CASE("a key that does not belong to the certificate, or of a size the server refuses, is refused") {
    TestRandom random;
    const auto first = make_identity(random, 1024);
    const auto second = make_identity(random, 1024);
    CHECK_THAT(load_error(first.certificate_pem, second.key_pem),
               Catch::Matchers::Equals("auth.key_file k.pem: the private key does not belong to the "
                                       "certificate in auth.cert_file c.pem"));
    const auto odd = make_identity(random, 1280);
    CHECK_THAT(load_error(odd.certificate_pem, odd.key_pem),
               Catch::Matchers::Contains(
                   "an RSA key of 1280 bits; the server accepts 1024, 1536, 2048, 3072 or 4096"));
}
