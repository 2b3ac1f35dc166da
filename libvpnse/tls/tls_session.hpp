#pragma once
// TLS behind one small seam (STYLE.md 3). A TlsSession is sans-I/O: the transport feeds it the bytes
// read from the socket and sends what it produces; nothing here touches a socket or a clock.
// Only the files in this folder include mbedTLS.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "core/bytes.hpp"
#include "vpnse/log.hpp"
#include "vpnse/result.hpp"

namespace vpnse::tls {

// first_use: any certificate, like insecure, but for trust on first use: the host pins what it saw.
enum class VerifyMode { ca_file, fingerprint, insecure, first_use };

struct TlsSettings {
    VerifyMode verify = VerifyMode::fingerprint;
    std::string ca_file;                           // ca_file mode
    std::array<std::uint8_t, 32> pinned_sha256{};  // fingerprint mode
    std::string server_name;  // SNI and, in ca_file mode, the name checked against the cert
    bool check_hostname = true;
};

// Shared by all connections of a client: configuration, CA chain and random generator.
class TlsContext {
  public:
    virtual ~TlsContext() = default;
    static Result<std::shared_ptr<TlsContext>> create(const TlsSettings& settings, Logger logger);
    virtual const TlsSettings& settings() const = 0;
};

enum class IoStatus { ok, want_read, closed };

class TlsSession {
  public:
    virtual ~TlsSession() = default;
    // `required_peer_der`: when set, the server must present exactly this certificate, which replaces
    // the profile's check (additional connections must see the login connection's certificate,
    // softether-protocol.md 2.2; a cluster member the one its controller announced, 12).
    static Result<std::unique_ptr<TlsSession>> create(std::shared_ptr<TlsContext> context,
                                                      std::optional<Bytes> required_peer_der = {});

    // Ciphertext read from the socket: copied in by feed(), or read by the transport straight into
    // input_space() (valid until the next input_space() or feed()) and then commit_input()ed.
    virtual void feed(ByteSpan ciphertext) = 0;
    virtual std::span<std::uint8_t> input_space(std::size_t at_least) = 0;
    virtual void commit_input(std::size_t n) = 0;
    // Ciphertext waiting to be written to the socket; the transport moves it out and clears it.
    virtual Bytes& pending_output() = 0;

    // Drives the handshake; ok once complete (and the peer verified), want_read if it needs input.
    virtual Result<IoStatus> handshake() = 0;
    virtual bool handshake_done() const = 0;
    // Decrypts into `out`; `produced` bytes are valid. want_read when no complete record is buffered,
    // closed after the peer's close_notify.
    virtual Result<IoStatus> read(std::span<std::uint8_t> out, std::size_t& produced) = 0;
    // Encrypts all of `plaintext` into pending_output().
    virtual Status write(ByteSpan plaintext) = 0;
    // Queues close_notify into pending_output().
    virtual void close_notify() = 0;

    // Ciphertext fed but not consumed by the record layer. After the welcome of a use_encrypt=0 session,
    // these are the first raw data-channel bytes (softether-protocol.md 10.1).
    virtual Bytes take_unread_input() = 0;

    virtual Bytes peer_certificate_der() const = 0;
    virtual std::string cipher_suite() const = 0;
    virtual std::string version() const = 0;
};

std::array<std::uint8_t, 32> sha256(ByteSpan data);

}  // namespace vpnse::tls
