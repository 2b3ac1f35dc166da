// Control-socket input is untrusted (any local user may connect): framing, JSON parsing, request
// validation and dispatch must answer every input with one well-formed response and never crash.
// Tunnels come from the in-memory FakeTunnelFactory; the profile directory is empty, so methods that need
// a profile exercise their not_found paths.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/framing.hpp"
#include "rpc/dispatcher.hpp"
#include "service/fake_tunnel_factory.hpp"

namespace {

struct FuzzPeer : vpnsed::rpc::Peer {
    vpnsed::rpc::Caller who;
    vpnsed::service::EventBus::Subscription subscription;
    const vpnsed::rpc::Caller& caller() const override { return who; }
    void notify(const nlohmann::json&) override {}
    void keep_subscription(vpnsed::service::EventBus::Subscription s) override {
        subscription = std::move(s);
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static asio::io_context io;
    static vpnsed::service::FakeTunnelFactory factory(io);
    static vpnsed::service::EventBus bus;
    static vpnsed::service::TunnelManager manager(io, factory, "/nonexistent/vpnse-fuzz", vpnse::Logger(),
                                                  bus);
    static vpnsed::api::ServiceApi api(vpnsed::api::ServiceContext{manager, bus, nullptr, "vpnse", "0", {}});
    static vpnsed::rpc::Dispatcher dispatcher(api);

    FuzzPeer peer;
    peer.who.privileged = size > 0 && (data[0] & 1);
    vpnsed::protocol::LineReader reader(4096);
    reader.feed(std::string_view(reinterpret_cast<const char*>(data), size));
    reader.feed("\n");
    while (auto line = reader.next_line()) {
        int replies = 0;
        const bool answers = dispatcher.dispatch(*line, peer, [&](nlohmann::json response) {
            ++replies;
            if (!response.is_object() || !response.contains("jsonrpc") ||
                (response.contains("result") == response.contains("error")))
                __builtin_trap();
            (void)vpnsed::protocol::to_line(response);
        });
        io.restart();
        io.poll();
        if (answers && replies > 1)
            __builtin_trap();
        if (!answers && replies != 0)
            __builtin_trap();
    }
    return 0;
}
