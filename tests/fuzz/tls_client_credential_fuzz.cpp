// Client certificate and key loading (PEM or DER, through mbedTLS) on arbitrary file contents: an
// error or a credential, never a crash. Input: a 2-byte big-endian certificate length, the certificate,
// then the key.
#include <algorithm>
#include <cstdlib>

#include "tls/client_credential.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2)
        return 0;
    const std::size_t cert_size = std::min<std::size_t>(vpnse::load_be16(data), size - 2);
    const vpnse::ByteSpan certificate(data + 2, cert_size);
    const vpnse::ByteSpan key(data + 2 + cert_size, size - 2 - cert_size);
    auto credential = vpnse::tls::ClientCredential::load(certificate, key, "certificate", "key");
    if (credential && (*credential)->certificate_der().empty())
        std::abort();
    return 0;
}
