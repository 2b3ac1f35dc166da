#pragma once
// vpnsectl's only way to the daemon: a blocking JSON-RPC client over the Unix control socket
// (docs/ipc-jsonrpc.md). One request at a time; notifications read with next_notification().
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "protocol/framing.hpp"
#include "vpnse/result.hpp"

namespace vpnsectl {

inline constexpr std::string_view kDefaultSocket = "/run/vpnse/vpnsed.sock";

class RpcClient {
  public:
    // io_error "cannot reach vpnsed at PATH: ..." when nobody listens; transport_failed() is then true.
    static vpnse::Result<RpcClient> connect(const std::string& socket_path);
    RpcClient(RpcClient&& other) noexcept;
    RpcClient& operator=(RpcClient&&) = delete;
    ~RpcClient();

    // The result member, or the daemon's error mapped back to a vpnse::Error (protocol/error_mapping.hpp).
    vpnse::Result<nlohmann::json> call(std::string_view method, nlohmann::json params = nullptr);
    // Blocks for the next notification (monitor).
    vpnse::Result<nlohmann::json> next_notification();
    // True when the last failure was the socket itself, not an answer from the daemon.
    bool transport_failed() const { return transport_failed_; }

  private:
    explicit RpcClient(int fd) : fd_(fd) {}
    vpnse::Result<nlohmann::json> read_message();
    vpnse::Error transport_error(std::string message);

    int fd_ = -1;
    int next_id_ = 1;
    bool transport_failed_ = false;
    vpnsed::protocol::LineReader reader_;
};

}  // namespace vpnsectl
