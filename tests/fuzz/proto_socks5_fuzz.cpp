// The SOCKS5 reply parser (method, RFC 1929 status, CONNECT reply) on arbitrary proxy bytes: never
// consume more than given, never crash. The first input byte picks credentials and the target's form.
#include <algorithm>
#include <cstdlib>

#include "proto/proxy_handshake.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    vpnse::proto::ProxyServer proxy{vpnse::proto::ProxyType::socks5, "10.0.0.1", 1080, {}, {}};
    if (data[0] & 1) {
        proxy.username = "user";
        proxy.password = "password";
    }
    vpnse::proto::ProxyTarget target{"vpn.example", 443, {}};
    if (data[0] & 2)
        target = {"10.250.1.1", 443, {10, 250, 1, 1}};
    auto handshake = vpnse::proto::make_proxy_handshake(proxy, target);
    if (!handshake)
        std::abort();
    vpnse::ByteSpan input(data + 1, size - 1);
    while (!input.empty()) {
        (*handshake)->take_output();
        // Feed in pieces of 1..8 bytes so replies arrive split as they may from a socket.
        const std::size_t piece = std::min<std::size_t>(input.size(), 1 + (input[0] & 7));
        auto used = (*handshake)->feed(input.first(piece));
        if (!used)
            return 0;
        if (*used > piece || (*used < piece && !(*handshake)->done()))
            std::abort();
        if ((*handshake)->done())
            break;
        input = input.subspan(piece);
    }
    return 0;
}
