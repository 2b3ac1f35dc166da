#include "client/rpc_client.hpp"

#include <array>

#include "protocol/error_mapping.hpp"
#include "protocol/jsonrpc.hpp"

namespace vpnsectl {

using nlohmann::json;
using vpnse::Error;
using vpnse::ErrorCode;

vpnse::Result<RpcClient> RpcClient::connect(const std::string& address) {
    auto channel = open_control_channel(address);
    if (!channel)
        return std::move(channel).error();
    return RpcClient(std::move(channel).value());
}

Error RpcClient::transport_error(std::string message) {
    transport_failed_ = true;
    return Error(ErrorCode::io_error, std::move(message));
}

vpnse::Result<json> RpcClient::read_message() {
    while (true) {
        if (auto line = reader_.next_line()) {
            json message = json::parse(*line, nullptr, false);
            if (message.is_discarded() || !message.is_object())
                return transport_error("vpnsed sent a malformed line");
            return message;
        }
        if (reader_.overflowed())
            return transport_error("vpnsed sent a line over 1 MiB");
        std::array<char, 16 * 1024> buffer;
        auto got = channel_->read(buffer);
        if (!got)
            return transport_error(got.error().message());
        if (*got == 0)
            return transport_error("vpnsed closed the connection");
        reader_.feed(std::string_view(buffer.data(), *got));
    }
}

vpnse::Result<json> RpcClient::call(std::string_view method, json params) {
    const int id = next_id_++;
    const std::string line =
        vpnsed::protocol::to_line(vpnsed::protocol::make_request(id, method, std::move(params)));
    if (auto written = channel_->write_all(line); !written)
        return transport_error(written.error().message());
    while (true) {
        auto message = read_message();
        if (!message)
            return message;
        if (!message->contains("id"))
            continue;  // a notification arriving before our answer
        if (auto error = message->find("error"); error != message->end())
            return vpnsed::protocol::error_from_rpc(vpnsed::protocol::error_from_json(*error));
        if ((*message)["id"] != id)
            continue;
        return (*message)["result"];
    }
}

vpnse::Result<json> RpcClient::next_notification() {
    while (true) {
        auto message = read_message();
        if (!message || !message->contains("id"))
            return message;
    }
}

}  // namespace vpnsectl
