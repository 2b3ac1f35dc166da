// The HTTP CONNECT reply reader on arbitrary proxy bytes: never consume more than given, never crash.
// The first input byte picks credentials or none, so both 407 paths are reached.
#include <cstdlib>

#include "proto/proxy_handshake.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    vpnse::proto::ProxyServer proxy{vpnse::proto::ProxyType::http, "proxy.example", 3128, {}, {}};
    if (data[0] & 1) {
        proxy.username = "user";
        proxy.password = "password";
    }
    auto handshake = vpnse::proto::make_proxy_handshake(proxy, {"vpn.example", 443, {}});
    if (!handshake)
        std::abort();
    (*handshake)->take_output();
    vpnse::ByteSpan input(data + 1, size - 1);
    // Split the input in two feeds at a point chosen by the data, to exercise partial replies.
    const std::size_t split = input.empty() ? 0 : data[0] % (input.size() + 1);
    for (auto part : {input.first(split), input.subspan(split)}) {
        auto used = (*handshake)->feed(part);
        if (!used)
            return 0;
        if (*used > part.size() || (*used < part.size() && !(*handshake)->done()))
            std::abort();
        if ((*handshake)->done())
            break;
    }
    return 0;
}
