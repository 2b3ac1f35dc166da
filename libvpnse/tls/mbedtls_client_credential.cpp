#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>
#include <mbedtls/sha1.h>
#include <mbedtls/x509_crt.h>

#include <algorithm>
#include <cstdio>

#include "tls/client_credential.hpp"
#include "tls/mbedtls_error.hpp"

namespace vpnse::tls {
namespace {

// The moduli the server's RSA check accepts (softether-protocol-advanced.md 2.2, is_compatible_bit).
constexpr std::size_t kServerModuli[] = {1024, 1536, 2048, 3072, 4096};

bool looks_like_pem(ByteSpan data) {
    constexpr std::string_view kMarker = "-----BEGIN ";
    return as_text(data).find(kMarker) != std::string_view::npos;
}

// mbedTLS parses PEM only from a NUL-terminated buffer whose length counts the NUL.
Bytes pem_buffer(ByteSpan data) {
    Bytes out(data.begin(), data.end());
    out.push_back(0);
    return out;
}

std::string date_text(const mbedtls_x509_time& t) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", t.year, t.mon, t.day);
    return text;
}

class MbedTlsClientCredential final : public ClientCredential {
  public:
    MbedTlsClientCredential() {
        mbedtls_x509_crt_init(&certificate_);
        mbedtls_pk_init(&key_);
        mbedtls_entropy_init(&entropy_);
        mbedtls_ctr_drbg_init(&drbg_);
    }
    ~MbedTlsClientCredential() override {
        mbedtls_ctr_drbg_free(&drbg_);
        mbedtls_entropy_free(&entropy_);
        mbedtls_pk_free(&key_);
        mbedtls_x509_crt_free(&certificate_);
    }
    MbedTlsClientCredential(const MbedTlsClientCredential&) = delete;
    MbedTlsClientCredential& operator=(const MbedTlsClientCredential&) = delete;

    Status load(ByteSpan certificate, ByteSpan key, std::string_view certificate_name,
                std::string_view key_name) {
        const std::string cert_name(certificate_name), key_label(key_name);
        if (auto status = parse_certificate(certificate, cert_name); !status)
            return status;
        if (auto status = parse_key(key, key_label); !status)
            return status;
        // 2.2: the server verifies with the certificate's public key, so a foreign key only fails there,
        // as an indistinguishable error 9; say it here instead.
        if (int rc = mbedtls_pk_check_pair(&certificate_.pk, &key_); rc != 0)
            return Error(ErrorCode::config_invalid,
                         key_label + ": the private key does not belong to the certificate in " + cert_name);
        static const char kPersonalization[] = "vpnse-client-credential";
        if (int rc = mbedtls_ctr_drbg_seed(&drbg_, mbedtls_entropy_func, &entropy_,
                                           reinterpret_cast<const unsigned char*>(kPersonalization),
                                           sizeof kPersonalization - 1);
            rc != 0)
            return Error(ErrorCode::tls_failed,
                         "seeding the signing random generator: " + mbedtls_message(rc));
        der_.assign(certificate_.raw.p, certificate_.raw.p + certificate_.raw.len);
        return {};
    }

    const Bytes& certificate_der() const override { return der_; }

    Result<Bytes> sign_random(ByteSpan random) const override {
        unsigned char hash[20];
        if (int rc = mbedtls_sha1_ret(random.data(), random.size(), hash); rc != 0)
            return Error(ErrorCode::internal, "SHA-1: " + mbedtls_message(rc));
        Bytes signature(MBEDTLS_PK_SIGNATURE_MAX_SIZE);
        std::size_t length = 0;
        // RSA keys parse with PKCS#1 v1.5 padding: DigestInfo(SHA-1) ‖ hash, as the server checks (2.2).
        if (int rc = mbedtls_pk_sign(&key_, MBEDTLS_MD_SHA1, hash, sizeof hash, signature.data(), &length,
                                     mbedtls_ctr_drbg_random, &drbg_);
            rc != 0)
            return Error(ErrorCode::internal, "signing the server's random: " + mbedtls_message(rc));
        signature.resize(length);
        return signature;
    }

  private:
    Status parse_certificate(ByteSpan data, const std::string& name) {
        int rc = 0;
        if (looks_like_pem(data)) {
            const Bytes buffer = pem_buffer(data);
            rc = mbedtls_x509_crt_parse(&certificate_, buffer.data(), buffer.size());
        } else {
            rc = mbedtls_x509_crt_parse_der(&certificate_, data.data(), data.size());
        }
        // A positive result counts certificates of a PEM bundle that did not parse; the first must have.
        if (rc < 0 || certificate_.raw.len == 0)
            return Error(ErrorCode::config_invalid, name + ": not an X.509 certificate in PEM or DER" +
                                                        (rc < 0 ? ": " + mbedtls_message(rc) : ""));
        if (mbedtls_x509_time_is_future(&certificate_.valid_from))
            return Error(ErrorCode::config_invalid, name + ": the certificate is not valid before " +
                                                        date_text(certificate_.valid_from));
        if (mbedtls_x509_time_is_past(&certificate_.valid_to))
            return Error(ErrorCode::config_invalid,
                         name + ": the certificate expired on " + date_text(certificate_.valid_to));
        return {};
    }

    Status parse_key(ByteSpan data, const std::string& name) {
        const Bytes buffer = looks_like_pem(data) ? pem_buffer(data) : Bytes(data.begin(), data.end());
        const int rc = mbedtls_pk_parse_key(&key_, buffer.data(), buffer.size(), nullptr, 0);
        if (rc == MBEDTLS_ERR_PK_PASSWORD_REQUIRED || rc == MBEDTLS_ERR_PK_PASSWORD_MISMATCH)
            return Error(
                ErrorCode::config_invalid,
                name +
                    ": the private key is encrypted; vpnse needs it unencrypted (openssl pkey -in KEY -out "
                    "PLAIN), protected by the file's permissions");
        if (rc != 0)
            return Error(ErrorCode::config_invalid,
                         name + ": not a private key in PEM or DER: " + mbedtls_message(rc));
        if (mbedtls_pk_get_type(&key_) != MBEDTLS_PK_RSA)
            return Error(ErrorCode::config_invalid,
                         name + ": the key is " + mbedtls_pk_get_name(&key_) +
                             ", not RSA; SoftEther servers verify the login signature with RSA only "
                             "(softether-protocol-advanced.md 2.2)");
        const std::size_t bits = mbedtls_pk_get_bitlen(&key_);
        if (std::find(std::begin(kServerModuli), std::end(kServerModuli), bits) == std::end(kServerModuli))
            return Error(ErrorCode::config_invalid, name + ": an RSA key of " + std::to_string(bits) +
                                                        " bits; the server accepts 1024, 1536, 2048, 3072 or "
                                                        "4096");
        return {};
    }

    mbedtls_x509_crt certificate_;
    // mbedtls_pk_sign and the generator take non-const pointers; signing does not change the key.
    mutable mbedtls_pk_context key_;
    mbedtls_entropy_context entropy_;
    mutable mbedtls_ctr_drbg_context drbg_;
    Bytes der_;
};

}  // namespace

Result<std::shared_ptr<const ClientCredential>> ClientCredential::load(ByteSpan certificate, ByteSpan key,
                                                                       std::string_view certificate_name,
                                                                       std::string_view key_name) {
    auto credential = std::make_shared<MbedTlsClientCredential>();
    if (auto status = credential->load(certificate, key, certificate_name, key_name); !status)
        return std::move(status).error();
    return std::shared_ptr<const ClientCredential>(std::move(credential));
}

}  // namespace vpnse::tls
