#include "client/rpc_client.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "protocol/error_mapping.hpp"
#include "protocol/jsonrpc.hpp"

namespace vpnsectl {

using nlohmann::json;
using vpnse::Error;
using vpnse::ErrorCode;

vpnse::Result<RpcClient> RpcClient::connect(const std::string& socket_path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (socket_path.size() >= sizeof address.sun_path)
        return Error(ErrorCode::invalid_argument, "socket path too long: " + socket_path);
    std::memcpy(address.sun_path, socket_path.c_str(), socket_path.size() + 1);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return Error(ErrorCode::io_error, std::string("socket: ") + std::strerror(errno));
    RpcClient client(fd);  // owns fd from here on
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        const int saved = errno;
        std::string hint = saved == ENOENT || saved == ECONNREFUSED ? " (is vpnsed running?)" : "";
        return Error(ErrorCode::io_error,
                     "cannot reach vpnsed at " + socket_path + ": " + std::strerror(saved) + hint);
    }
    return client;
}

RpcClient::RpcClient(RpcClient&& other) noexcept
    : fd_(other.fd_),
      next_id_(other.next_id_),
      transport_failed_(other.transport_failed_),
      reader_(std::move(other.reader_)) {
    other.fd_ = -1;
}

RpcClient::~RpcClient() {
    if (fd_ >= 0)
        ::close(fd_);
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
        char buffer[16 * 1024];
        const ssize_t got = ::read(fd_, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return transport_error(std::string("reading from vpnsed: ") + std::strerror(errno));
        if (got == 0)
            return transport_error("vpnsed closed the connection");
        reader_.feed(std::string_view(buffer, static_cast<std::size_t>(got)));
    }
}

vpnse::Result<json> RpcClient::call(std::string_view method, json params) {
    const int id = next_id_++;
    const std::string line =
        vpnsed::protocol::to_line(vpnsed::protocol::make_request(id, method, std::move(params)));
    std::size_t sent = 0;
    while (sent < line.size()) {
        const ssize_t n = ::send(fd_, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return transport_error(std::string("writing to vpnsed: ") + std::strerror(errno));
        sent += static_cast<std::size_t>(n);
    }
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
