// Everything the client reads from server PACKs during the handshake.
#include "proto/login.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto pack = vpnse::proto::Pack::decode({data, size});
    if (!pack.ok())
        return 0;
    (void)vpnse::proto::parse_hello(*pack);
    (void)vpnse::proto::is_noop(*pack);
    (void)vpnse::proto::parse_login_reply(*pack, "user", "HUB");
    (void)vpnse::proto::parse_additional_connect_reply(*pack);
    return 0;
}
