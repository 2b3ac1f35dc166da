#pragma once
// vpnsectl's only way to the daemon: a blocking JSON-RPC client over the control channel, the Unix
// socket or the Windows named pipe (client/control_channel.hpp; docs/ipc-jsonrpc.md). One request at a time;
// notifications read with next_notification().
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <string_view>

#include "client/control_channel.hpp"
#include "protocol/framing.hpp"
#include "vpnse/result.hpp"

namespace vpnsectl {

class RpcClient {
  public:
    // io_error "cannot reach vpnsed at PATH: ..." when nobody listens; transport_failed() is then true.
    static vpnse::Result<RpcClient> connect(const std::string& address);
    RpcClient(RpcClient&& other) noexcept = default;
    RpcClient& operator=(RpcClient&&) = delete;

    // The result member, or the daemon's error mapped back to a vpnse::Error (protocol/error_mapping.hpp).
    vpnse::Result<nlohmann::json> call(std::string_view method, nlohmann::json params = nullptr);
    // Blocks for the next notification (monitor).
    vpnse::Result<nlohmann::json> next_notification();
    // True when the last failure was the socket itself, not an answer from the daemon.
    bool transport_failed() const { return transport_failed_; }

  private:
    explicit RpcClient(std::unique_ptr<ControlChannel> channel) : channel_(std::move(channel)) {}
    vpnse::Result<nlohmann::json> read_message();
    vpnse::Error transport_error(std::string message);

    std::unique_ptr<ControlChannel> channel_;
    int next_id_ = 1;
    bool transport_failed_ = false;
    vpnsed::protocol::LineReader reader_;
};

}  // namespace vpnsectl
