// mbedTLS 2.28 implementation of the TLS seam. mbedTLS talks to in-memory buffers through custom BIO
// callbacks, so the session is sans-I/O. It does the handshake and the certificate checks; the records
// after it go through libcrypto (aead_records.hpp), for speed.
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/sha256.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include <algorithm>
#include <cstring>

#include "tls/aead_records.hpp"
#include "tls/input_buffer.hpp"
#include "tls/mbedtls_error.hpp"
#include "tls/tls_session.hpp"

namespace vpnse::tls {
namespace {

// Suites the server accepts (softether-protocol.md 2.2); the server picks by its own preference (a
// SoftEther 5.01 server: AES-256-GCM). Only the handshake runs in mbedTLS: the records of the session
// are sealed and opened by libcrypto (aead_records.hpp), where all three run at 3-4 GB/s per core.
const int kSuites[] = {
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    0,
};

std::optional<AeadCipher> aead_cipher_of(int suite) {
    switch (suite) {
        case MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384:
        case MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384:
            return AeadCipher::aes256_gcm;
        case MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256:
        case MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256:
            return AeadCipher::aes128_gcm;
        case MBEDTLS_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256:
        case MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256:
            return AeadCipher::chacha20_poly1305;
        default:
            return std::nullopt;
    }
}

class MbedTlsSession;
// The session whose mbedtls_ssl_handshake() is running on this thread: mbedTLS 2.28 hands the key
// block to a per-config callback, and configs are shared by all sessions of a context.
thread_local MbedTlsSession* t_handshaking = nullptr;

class MbedTlsContext final : public TlsContext {
  public:
    MbedTlsContext(TlsSettings settings, Logger logger)
        : settings_(std::move(settings)), logger_(std::move(logger)) {
        mbedtls_entropy_init(&entropy_);
        mbedtls_ctr_drbg_init(&drbg_);
        mbedtls_ssl_config_init(&config_);
        mbedtls_ssl_config_init(&exact_config_);
        mbedtls_x509_crt_init(&ca_);
    }
    ~MbedTlsContext() override {
        mbedtls_x509_crt_free(&ca_);
        mbedtls_ssl_config_free(&exact_config_);
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
        if (auto status = configure(&config_, kSuites, false); !status)
            return status;
        return configure(&exact_config_, kSuites, true);
    }

    // `exact`: for connections that must see one certificate byte for byte (verify_peer), which is then
    // the whole check: the certificate was verified by the profile's rule where it came from.
    Status configure(mbedtls_ssl_config* config, const int* suites, bool exact) {
        int rc = mbedtls_ssl_config_defaults(config, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                             MBEDTLS_SSL_PRESET_DEFAULT);
        if (rc != 0)
            return Error(ErrorCode::tls_failed, "TLS defaults: " + mbedtls_message(rc));
        // The server refuses TLS 1.0/1.1 (softether-protocol.md 2.2).
        mbedtls_ssl_conf_min_version(config, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
        mbedtls_ssl_conf_rng(config, mbedtls_ctr_drbg_random, &drbg_);
        mbedtls_ssl_conf_ciphersuites(config, suites);
        mbedtls_ssl_conf_renegotiation(config, MBEDTLS_SSL_RENEGOTIATION_DISABLED);
        mbedtls_ssl_conf_export_keys_ext_cb(config, &MbedTlsContext::on_keys, nullptr);

        switch (exact ? VerifyMode::insecure : settings_.verify) {
            case VerifyMode::ca_file:
                mbedtls_ssl_conf_ca_chain(config, &ca_, nullptr);
                mbedtls_ssl_conf_authmode(config, MBEDTLS_SSL_VERIFY_REQUIRED);
                break;
            case VerifyMode::fingerprint:
                // Verified against the pin after the handshake, before any application byte is sent.
            case VerifyMode::insecure:
            case VerifyMode::first_use:
                mbedtls_ssl_conf_authmode(config, MBEDTLS_SSL_VERIFY_NONE);
                break;
        }
        return {};
    }

    const TlsSettings& settings() const override { return settings_; }
    static int on_keys(void*, const unsigned char*, const unsigned char* key_block, std::size_t mac_size,
                       std::size_t key_size, std::size_t iv_size, const unsigned char*, const unsigned char*,
                       mbedtls_tls_prf_types);
    mbedtls_ssl_config* config(bool exact) { return exact ? &exact_config_ : &config_; }
    const Logger& logger() const { return logger_; }

  private:
    TlsSettings settings_;
    Logger logger_;
    mbedtls_entropy_context entropy_;
    mbedtls_ctr_drbg_context drbg_;
    mbedtls_ssl_config config_;
    mbedtls_ssl_config exact_config_;
    mbedtls_x509_crt ca_;
};

class MbedTlsSession final : public TlsSession {
  public:
    MbedTlsSession(std::shared_ptr<MbedTlsContext> context, std::optional<Bytes> required_peer_der)
        : context_(std::move(context)), required_peer_der_(std::move(required_peer_der)) {
        mbedtls_ssl_init(&ssl_);
    }
    ~MbedTlsSession() override {
        wipe(key_block_);
        mbedtls_ssl_free(&ssl_);
    }
    MbedTlsSession(const MbedTlsSession&) = delete;
    MbedTlsSession& operator=(const MbedTlsSession&) = delete;

    Status init() {
        int rc = mbedtls_ssl_setup(&ssl_, context_->config(required_peer_der_.has_value()));
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

    void feed(ByteSpan ciphertext) override { input_.append(ciphertext); }
    std::span<std::uint8_t> input_space(std::size_t at_least) override { return input_.prepare(at_least); }
    void commit_input(std::size_t n) override { input_.commit(n); }
    Bytes& pending_output() override { return output_; }

    Result<IoStatus> handshake() override {
        if (done_)
            return IoStatus::ok;
        t_handshaking = this;
        int rc = mbedtls_ssl_handshake(&ssl_);
        t_handshaking = nullptr;
        if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE)
            return IoStatus::want_read;
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
        start_record_layer();
        return IoStatus::ok;
    }
    bool handshake_done() const override { return done_; }

    Result<IoStatus> read(std::span<std::uint8_t> out, std::size_t& produced) override {
        produced = 0;
        if (records_)
            return read_record(out, produced);
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
        if (records_)
            return records_->seal(plaintext, output_);
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
        if (records_) {
            const std::uint8_t alert[2] = {1, 0};  // warning, close_notify
            (void)records_->seal(alert, output_, kTlsContentAlert);
        } else if (done_) {
            mbedtls_ssl_close_notify(&ssl_);
        }
    }

    Bytes take_unread_input() override { return input_.take_all(); }

    Bytes peer_certificate_der() const override {
        const mbedtls_x509_crt* cert = mbedtls_ssl_get_peer_cert(&ssl_);
        if (cert == nullptr)
            return {};
        return Bytes(cert->raw.p, cert->raw.p + cert->raw.len);
    }
    std::string cipher_suite() const override {
        std::string suite = mbedtls_ssl_get_ciphersuite(&ssl_);
        return records_ ? suite + " (records: libcrypto)" : suite;
    }

    // Called by mbedTLS (through on_keys) while this session's handshake derives its keys.
    void take_key_block(const unsigned char* key_block, std::size_t mac_size, std::size_t key_size,
                        std::size_t iv_size) {
        key_block_.clear();
        key_size_ = key_size;
        iv_size_ = iv_size;
        if (mac_size == 0)  // AEAD suites only; anything else stays in mbedTLS
            key_block_.assign(key_block, key_block + 2 * key_size + 2 * iv_size);
    }
    std::string version() const override { return mbedtls_ssl_get_version(&ssl_); }

  private:
    // Hands the records to libcrypto. mbedTLS reads exactly one record at a time from the BIO, so once
    // the handshake is over it holds no buffered input and nothing unread: every later byte in input_
    // belongs to the new layer. Any surprise keeps the session in mbedTLS (slower, still correct).
    void start_record_layer() {
        const auto cipher =
            aead_cipher_of(mbedtls_ssl_get_ciphersuite_id(mbedtls_ssl_get_ciphersuite(&ssl_)));
        const auto& logger = context_->logger();
        struct WipeKeyBlock {
            Bytes& block;
            ~WipeKeyBlock() { wipe(block); }
        } wipe_on_return{key_block_};
        if (!cipher || key_block_.empty() || ssl_.in_left != 0 || mbedtls_ssl_get_bytes_avail(&ssl_) != 0 ||
            ssl_.in_ctr == nullptr) {
            logger.debug("TLS records stay in mbedTLS", {{"suite", mbedtls_ssl_get_ciphersuite(&ssl_)}});
            return;
        }
        AeadTrafficKeys keys;
        keys.cipher = *cipher;
        const auto* block = key_block_.data();
        keys.write.key.assign(block, block + key_size_);
        keys.read.key.assign(block + key_size_, block + 2 * key_size_);
        keys.write.implicit_iv.assign(block + 2 * key_size_, block + 2 * key_size_ + iv_size_);
        keys.read.implicit_iv.assign(block + 2 * key_size_ + iv_size_, block + 2 * key_size_ + 2 * iv_size_);
        keys.write.sequence = load_be64(ssl_.cur_out_ctr);
        keys.read.sequence = load_be64(ssl_.in_ctr);
        auto layer = AeadRecordLayer::create(keys);
        wipe(keys.write.key);
        wipe(keys.read.key);
        if (!layer) {
            logger.warn("TLS records stay in mbedTLS", {{"reason", layer.error().to_string()}});
            return;
        }
        records_ = std::move(layer).value();
    }

    static void wipe(Bytes& secret) {
        volatile std::uint8_t* p = secret.data();
        for (std::size_t i = 0; i < secret.size(); ++i)
            p[i] = 0;
        secret.clear();
    }

    // One record per call, as mbedtls_ssl_read does: the caller may switch the connection to raw mode
    // after any record (use_encrypt=0), and the bytes behind it are then not TLS.
    Result<IoStatus> read_record(std::span<std::uint8_t> out, std::size_t& produced) {
        while (!peer_closed_) {
            auto opened = records_->open(input_.readable(), out);
            if (!opened)
                return std::move(opened).error();
            if (opened->consumed == 0)
                return IoStatus::want_read;
            input_.consume(opened->consumed);
            if (opened->content_type == kTlsContentApplicationData) {
                if (opened->plaintext_size == 0)
                    continue;  // empty records are legal (and a known counter-measure); skip them
                produced = opened->plaintext_size;
                return IoStatus::ok;
            }
            // An alert: close_notify ends the session; other warnings are ignored, fatal ones fail it.
            if (opened->plaintext_size != 2)
                return Error(ErrorCode::tls_failed, "TLS alert from the server has a bad length");
            if (out[1] == 0) {
                peer_closed_ = true;
            } else if (out[0] == 2) {
                return Error(ErrorCode::tls_failed,
                             "the server sent fatal TLS alert " + std::to_string(static_cast<int>(out[1])));
            }
        }
        return IoStatus::closed;
    }

    Status verify_peer() {
        const Bytes der = peer_certificate_der();
        if (der.empty())
            return Error(ErrorCode::cert_not_trusted, "the server presented no certificate");
        if (required_peer_der_) {
            if (*required_peer_der_ != der)
                return Error(ErrorCode::cert_not_trusted,
                             "the server presented certificate SHA-256 " + to_hex(sha256(der)) +
                                 ", not the one this connection requires (" +
                                 to_hex(sha256(*required_peer_der_)) +
                                 ": the login connection's, or the one a cluster controller announced)");
            return {};
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

    static int bio_send(void* self_ptr, const unsigned char* data, std::size_t size) {
        auto* self = static_cast<MbedTlsSession*>(self_ptr);
        self->output_.insert(self->output_.end(), data, data + size);
        return static_cast<int>(size);
    }
    static int bio_recv(void* self_ptr, unsigned char* data, std::size_t size) {
        auto* self = static_cast<MbedTlsSession*>(self_ptr);
        const ByteSpan input = self->input_.readable();
        const std::size_t available = input.size();
        if (available == 0)
            return MBEDTLS_ERR_SSL_WANT_READ;
        const std::size_t n = std::min(size, available);
        std::memcpy(data, input.data(), n);
        self->input_.consume(n);
        return static_cast<int>(n);
    }

    std::shared_ptr<MbedTlsContext> context_;
    std::optional<Bytes> required_peer_der_;
    mbedtls_ssl_context ssl_;
    InputBuffer input_;
    Bytes output_;
    bool done_ = false;
    // The data phase: libcrypto seals and opens the records once the handshake is over.
    std::unique_ptr<AeadRecordLayer> records_;
    Bytes key_block_;  // client key, server key, client IV, server IV (RFC 5246 6.3; no MAC keys)
    std::size_t key_size_ = 0, iv_size_ = 0;
    bool peer_closed_ = false;
};

int MbedTlsContext::on_keys(void*, const unsigned char*, const unsigned char* key_block, std::size_t mac_size,
                            std::size_t key_size, std::size_t iv_size, const unsigned char*,
                            const unsigned char*, mbedtls_tls_prf_types) {
    if (t_handshaking != nullptr)
        t_handshaking->take_key_block(key_block, mac_size, key_size, iv_size);
    return 0;
}

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
