// TLS records from the server (aead_records.hpp). Two halves: the bytes as they come, opened until
// incomplete or refused; and a record sealed by the peer's layer with one byte overwritten by the
// input, which must open to exactly the original plaintext or be refused.
#include <cstdlib>
#include <cstring>

#include "tls/aead_records.hpp"

namespace {
using vpnse::Bytes;
using vpnse::ByteSpan;
using vpnse::tls::AeadCipher;
using vpnse::tls::AeadRecordLayer;
using vpnse::tls::AeadTrafficKeys;

std::unique_ptr<AeadRecordLayer> layer(AeadCipher cipher, bool client) {
    const std::size_t key = cipher == AeadCipher::aes128_gcm ? 16 : 32;
    const std::size_t iv = cipher == AeadCipher::chacha20_poly1305 ? 12 : 4;
    AeadTrafficKeys keys;
    keys.cipher = cipher;
    keys.write = {Bytes(key, 0x11), Bytes(iv, 0x22), 1};
    keys.read = {Bytes(key, 0x33), Bytes(iv, 0x44), 1};
    if (!client)
        std::swap(keys.write, keys.read);
    auto made = AeadRecordLayer::create(keys);
    if (!made)
        std::abort();
    return std::move(made).value();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 4)
        return 0;
    const auto cipher = static_cast<AeadCipher>(data[0] % 3);
    const bool tamper = data[1] & 1;
    const std::size_t at = (std::size_t{data[2]} << 8) | data[3];
    const ByteSpan input(data + 4, size - 4);
    Bytes out(vpnse::tls::kTlsMaxPlaintext);

    if (!tamper) {
        auto client = layer(cipher, true);
        std::size_t offset = 0;
        while (offset < input.size()) {
            auto opened = client->open(input.subspan(offset), out);
            if (!opened || opened->consumed == 0)
                break;
            if (opened->consumed > input.size() - offset || opened->plaintext_size > out.size())
                std::abort();
            offset += opened->consumed;
        }
        return 0;
    }

    auto server = layer(cipher, false);
    Bytes wire;
    if (!server->seal(input, wire))
        std::abort();
    auto open_all = [&](const Bytes& bytes, Bytes& received) {
        auto client = layer(cipher, true);
        std::size_t offset = 0;
        while (offset < bytes.size()) {
            auto opened = client->open(ByteSpan(bytes).subspan(offset), out);
            if (!opened || opened->consumed == 0)
                return false;  // refused, or a corrupted length made a record look longer
            received.insert(received.end(), out.begin(),
                            out.begin() + static_cast<std::ptrdiff_t>(opened->plaintext_size));
            offset += opened->consumed;
        }
        return true;
    };
    Bytes received;
    if (!open_all(wire, received) || received != Bytes(input.begin(), input.end()))
        std::abort();
    // One flipped byte anywhere: never accepted.
    Bytes tampered = wire;
    tampered[at % tampered.size()] ^= static_cast<std::uint8_t>(data[1] | 1);
    Bytes ignored;
    if (open_all(tampered, ignored))
        std::abort();
    return 0;
}
