#pragma once
// A client certificate and its private key, for SoftEther's certificate login
// (softether-protocol-advanced.md 2): the certificate goes into the login PACK as DER, and the key
// signs the server's 20-byte hello random with RSASSA-PKCS1-v1_5 over SHA-1. No TLS client certificate
// is presented; the PACK signature is the proof of possession (2.2).
#include <memory>
#include <string>
#include <string_view>

#include "core/bytes.hpp"
#include "vpnse/result.hpp"

namespace vpnse::tls {

class ClientCredential {
  public:
    virtual ~ClientCredential() = default;

    // `certificate` and `key` are PEM or DER; the key unencrypted. The names ("auth.cert_file
    // /etc/vpnse/alice.crt") only appear in messages. Errors are config_invalid and say what is wrong:
    // unparsable, an encrypted key, not RSA or a modulus the server refuses (1024, 1536, 2048, 3072,
    // 4096 bits only), a key that does not belong to the certificate, a certificate outside its
    // validity period.
    static Result<std::shared_ptr<const ClientCredential>> load(ByteSpan certificate, ByteSpan key,
                                                                std::string_view certificate_name,
                                                                std::string_view key_name);

    virtual const Bytes& certificate_der() const = 0;
    // The signature of `random` as the server checks it: exactly modulus-size bytes.
    virtual Result<Bytes> sign_random(ByteSpan random) const = 0;
};

}  // namespace vpnse::tls
