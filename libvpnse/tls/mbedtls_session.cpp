// mbedTLS 2.28 implementation of the TLS seam. The record layer talks to in-memory buffers through
// custom BIO callbacks, so the session is sans-I/O.
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/sha256.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include <algorithm>
#include <cstring>

#include "tls/tls_session.hpp"

namespace vpnse::tls {
namespace {

std::string mbedtls_message(int code) {
    char buffer[160];
    mbedtls_strerror(code, buffer, sizeof buffer);
    return std::string(buffer) + " (-0x" +
           to_hex(std::array<std::uint8_t, 2>{static_cast<std::uint8_t>((-code) >> 8),
                                              static_cast<std::uint8_t>(-code)}) +
           ")";
}

// Suites the server accepts (softether-protocol.md 2.2). The server picks by its own preference among
// what we offer, and a SoftEther 5.01 server ranks AES-256-GCM first, then AES-128-GCM, with
// ChaCha20-Poly1305 after both. In mbedTLS 2.28, ChaCha20-Poly1305 is the fastest of the three by
// about 1.5x (0.34 GB/s against 0.22 GB/s per core for either AES-GCM, docs/performance.md), and the
// data channel spends most of its CPU in the cipher, so the first offer is ChaCha20-Poly1305 alone.
// A server without it answers with a fatal alert; from then on the context offers the full AEAD list
// (the transport retries the handshake once).
const int kPreferredSuites[] = {
    MBEDTLS_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    0,
};
const int kCompatSuites[] = {
    MBEDTLS_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    0,
};

class MbedTlsContext final : public TlsContext {
  public:
    MbedTlsContext(TlsSettings settings, Logger logger)
        : settings_(std::move(settings)), logger_(std::move(logger)) {
        mbedtls_entropy_init(&entropy_);
        mbedtls_ctr_drbg_init(&drbg_);
        mbedtls_ssl_config_init(&config_);
        mbedtls_ssl_config_init(&compat_config_);
        mbedtls_x509_crt_init(&ca_);
    }
    ~MbedTlsContext() override {
        mbedtls_x509_crt_free(&ca_);
        mbedtls_ssl_config_free(&compat_config_);
        mbedtls_ssl_config_free(&config_);
        mbedtls_ctr_drbg_free(&drbg_);
        mbedtls_entropy_free(&entropy_);
    }
    MbedTlsContext(const MbedTlsContext&) = delete;
    MbedTlsContext& operator=(const MbedTlsContext&) = delete;

    Status init() {
        static const char kPersonalization[] = "vpnse";
        int rc = mbedtls_ctr_drbg_seed(&drbg_, mbedtls_entropy_func, &entropy_,
                                       reinterpret_cast<const unsigned char*>(kPersonalization),
                                       sizeof kPersonalization - 1);
        if (rc != 0)
            return Error(ErrorCode::tls_failed, "seeding the TLS random generator: " + mbedtls_message(rc));
        if (settings_.verify == VerifyMode::ca_file) {
            rc = mbedtls_x509_crt_parse_file(&ca_, settings_.ca_file.c_str());
            if (rc < 0) {
                return Error(ErrorCode::config_invalid,
                             "cannot load CA file " + settings_.ca_file + ": " + mbedtls_message(rc));
            }
        } else if (settings_.verify == VerifyMode::insecure) {
            logger_.warn(
                "TLS server certificate verification is DISABLED for this profile (tls.verify = "
                "\"insecure\"); anyone on the path can impersonate the server");
        }
        if (auto status = configure(&config_, kPreferredSuites); !status)
            return status;
        return configure(&compat_config_, kCompatSuites);
    }

    Status configure(mbedtls_ssl_config* config, const int* suites) {
        int rc = mbedtls_ssl_config_defaults(config, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                             MBEDTLS_SSL_PRESET_DEFAULT);
        if (rc != 0)
            return Error(ErrorCode::tls_failed, "TLS defaults: " + mbedtls_message(rc));
        // The server refuses TLS 1.0/1.1 (softether-protocol.md 2.2).
        mbedtls_ssl_conf_min_version(config, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
        mbedtls_ssl_conf_rng(config, mbedtls_ctr_drbg_random, &drbg_);
        mbedtls_ssl_conf_ciphersuites(config, suites);
        mbedtls_ssl_conf_renegotiation(config, MBEDTLS_SSL_RENEGOTIATION_DISABLED);

        switch (settings_.verify) {
            case VerifyMode::ca_file:
                mbedtls_ssl_conf_ca_chain(config, &ca_, nullptr);
                mbedtls_ssl_conf_authmode(config, MBEDTLS_SSL_VERIFY_REQUIRED);
                break;
            case VerifyMode::fingerprint:
                // Verified against the pin after the handshake, before any application byte is sent.
            case VerifyMode::insecure:
                mbedtls_ssl_conf_authmode(config, MBEDTLS_SSL_VERIFY_NONE);
                break;
        }
        return {};
    }

    const TlsSettings& settings() const override { return settings_; }
    mbedtls_ssl_config* config() { return compat_ ? &compat_config_ : &config_; }
    bool compat() const { return compat_; }
    // The server refused the preferred offer: offer every AEAD suite from now on.
    void fall_back() {
        if (!compat_)
            logger_.info("the server refused ChaCha20-Poly1305 alone; offering AES-GCM too from now on");
        compat_ = true;
    }
    const Logger& logger() const { return logger_; }

  private:
    TlsSettings settings_;
    Logger logger_;
    mbedtls_entropy_context entropy_;
    mbedtls_ctr_drbg_context drbg_;
    mbedtls_ssl_config config_;         // kPreferredSuites
    mbedtls_ssl_config compat_config_;  // kCompatSuites
    bool compat_ = false;
    mbedtls_x509_crt ca_;
};

class MbedTlsSession final : public TlsSession {
  public:
    MbedTlsSession(std::shared_ptr<MbedTlsContext> context, std::optional<Bytes> required_peer_der)
        : context_(std::move(context)), required_peer_der_(std::move(required_peer_der)) {
        mbedtls_ssl_init(&ssl_);
    }
    ~MbedTlsSession() override { mbedtls_ssl_free(&ssl_); }
    MbedTlsSession(const MbedTlsSession&) = delete;
    MbedTlsSession& operator=(const MbedTlsSession&) = delete;

    Status init() {
        compat_session_ = context_->compat();
        int rc = mbedtls_ssl_setup(&ssl_, context_->config());
        if (rc != 0)
            return Error(ErrorCode::tls_failed, "TLS setup: " + mbedtls_message(rc));
        const auto& name = context_->settings().server_name;
        if (!name.empty()) {
            rc = mbedtls_ssl_set_hostname(&ssl_, name.c_str());
            if (rc != 0)
                return Error(ErrorCode::tls_failed, "TLS server name: " + mbedtls_message(rc));
        }
        mbedtls_ssl_set_bio(&ssl_, this, &MbedTlsSession::bio_send, &MbedTlsSession::bio_recv, nullptr);
        return {};
    }

    void feed(ByteSpan ciphertext) override {
        compact_input();
        input_.insert(input_.end(), ciphertext.begin(), ciphertext.end());
    }
    Bytes& pending_output() override { return output_; }

    Result<IoStatus> handshake() override {
        if (done_)
            return IoStatus::ok;
        int rc = mbedtls_ssl_handshake(&ssl_);
        if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE)
            return IoStatus::want_read;
        if (rc == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE && !compat_session_ &&
            ssl_.state <= MBEDTLS_SSL_SERVER_HELLO) {
            // A fatal alert in answer to our ClientHello: most likely no shared cipher suite.
            context_->fall_back();
        }
        if (rc == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) {
            char info[512];
            mbedtls_x509_crt_verify_info(info, sizeof info, "", mbedtls_ssl_get_verify_result(&ssl_));
            std::string text(info);
            while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
                text.pop_back();
            return Error(ErrorCode::cert_not_trusted, "server certificate rejected: " + text);
        }
        if (rc != 0)
            return Error(ErrorCode::tls_failed, "TLS handshake failed: " + mbedtls_message(rc));
        if (auto status = verify_peer(); !status)
            return std::move(status).error();
        done_ = true;
        return IoStatus::ok;
    }
    bool handshake_done() const override { return done_; }

    Result<IoStatus> read(std::span<std::uint8_t> out, std::size_t& produced) override {
        produced = 0;
        int rc = mbedtls_ssl_read(&ssl_, out.data(), out.size());
        if (rc > 0) {
            produced = static_cast<std::size_t>(rc);
            return IoStatus::ok;
        }
        if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE)
            return IoStatus::want_read;
        if (rc == 0 || rc == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY)
            return IoStatus::closed;
        return Error(ErrorCode::tls_failed, "TLS read failed: " + mbedtls_message(rc));
    }

    Status write(ByteSpan plaintext) override {
        std::size_t offset = 0;
        while (offset < plaintext.size()) {
            int rc = mbedtls_ssl_write(&ssl_, plaintext.data() + offset, plaintext.size() - offset);
            if (rc < 0)
                return Error(ErrorCode::tls_failed, "TLS write failed: " + mbedtls_message(rc));
            offset += static_cast<std::size_t>(rc);
        }
        return {};
    }

    void close_notify() override {
        if (done_)
            mbedtls_ssl_close_notify(&ssl_);
    }

    Bytes take_unread_input() override {
        Bytes rest(input_.begin() + static_cast<std::ptrdiff_t>(input_offset_), input_.end());
        input_.clear();
        input_offset_ = 0;
        return rest;
    }

    Bytes peer_certificate_der() const override {
        const mbedtls_x509_crt* cert = mbedtls_ssl_get_peer_cert(&ssl_);
        if (cert == nullptr)
            return {};
        return Bytes(cert->raw.p, cert->raw.p + cert->raw.len);
    }
    std::string cipher_suite() const override { return mbedtls_ssl_get_ciphersuite(&ssl_); }
    std::string version() const override { return mbedtls_ssl_get_version(&ssl_); }

  private:
    Status verify_peer() {
        const Bytes der = peer_certificate_der();
        if (der.empty())
            return Error(ErrorCode::cert_not_trusted, "the server presented no certificate");
        if (required_peer_der_ && *required_peer_der_ != der) {
            return Error(ErrorCode::cert_not_trusted,
                         "the server presented a different certificate on an additional connection");
        }
        const auto& settings = context_->settings();
        if (settings.verify == VerifyMode::fingerprint) {
            const auto actual = sha256(der);
            if (actual != settings.pinned_sha256) {
                return Error(ErrorCode::cert_pin_mismatch, "server certificate SHA-256 " + to_hex(actual) +
                                                               " does not match the pinned " +
                                                               to_hex(settings.pinned_sha256));
            }
        }
        return {};
    }

    void compact_input() {
        if (input_offset_ > 0 && input_offset_ == input_.size()) {
            input_.clear();
            input_offset_ = 0;
        } else if (input_offset_ > 65536) {
            input_.erase(input_.begin(), input_.begin() + static_cast<std::ptrdiff_t>(input_offset_));
            input_offset_ = 0;
        }
    }

    static int bio_send(void* self_ptr, const unsigned char* data, std::size_t size) {
        auto* self = static_cast<MbedTlsSession*>(self_ptr);
        self->output_.insert(self->output_.end(), data, data + size);
        return static_cast<int>(size);
    }
    static int bio_recv(void* self_ptr, unsigned char* data, std::size_t size) {
        auto* self = static_cast<MbedTlsSession*>(self_ptr);
        const std::size_t available = self->input_.size() - self->input_offset_;
        if (available == 0)
            return MBEDTLS_ERR_SSL_WANT_READ;
        const std::size_t n = std::min(size, available);
        std::memcpy(data, self->input_.data() + self->input_offset_, n);
        self->input_offset_ += n;
        return static_cast<int>(n);
    }

    std::shared_ptr<MbedTlsContext> context_;
    std::optional<Bytes> required_peer_der_;
    mbedtls_ssl_context ssl_;
    Bytes input_;
    std::size_t input_offset_ = 0;
    Bytes output_;
    bool done_ = false;
    bool compat_session_ = false;
};

}  // namespace

Result<std::shared_ptr<TlsContext>> TlsContext::create(const TlsSettings& settings, Logger logger) {
    auto context = std::make_shared<MbedTlsContext>(settings, std::move(logger));
    if (auto status = context->init(); !status)
        return std::move(status).error();
    return std::shared_ptr<TlsContext>(std::move(context));
}

Result<std::unique_ptr<TlsSession>> TlsSession::create(std::shared_ptr<TlsContext> context,
                                                       std::optional<Bytes> required_peer_der) {
    auto mbed = std::dynamic_pointer_cast<MbedTlsContext>(context);
    if (!mbed)
        return Error(ErrorCode::internal, "TLS context of another backend");
    auto session = std::make_unique<MbedTlsSession>(std::move(mbed), std::move(required_peer_der));
    if (auto status = session->init(); !status)
        return std::move(status).error();
    return std::unique_ptr<TlsSession>(std::move(session));
}

std::array<std::uint8_t, 32> sha256(ByteSpan data) {
    std::array<std::uint8_t, 32> digest{};
    mbedtls_sha256_ret(data.data(), data.size(), digest.data(), 0);
    return digest;
}

}  // namespace vpnse::tls
