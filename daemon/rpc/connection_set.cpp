#include "rpc/connection_set.hpp"

#include "protocol/error_mapping.hpp"
#include "protocol/jsonrpc.hpp"

namespace vpnsed::rpc {

ConnectionSet::ConnectionSet(Dispatcher& dispatcher, std::size_t max_clients,
                             std::chrono::seconds idle_timeout, vpnse::Logger logger)
    : dispatcher_(dispatcher),
      max_clients_(max_clients),
      idle_timeout_(idle_timeout),
      logger_(std::move(logger)) {}

void ConnectionSet::admit(std::unique_ptr<ControlStream> stream, const Caller& caller,
                          const std::string& who) {
    auto connection =
        std::make_shared<Connection>(std::move(stream), dispatcher_, caller, idle_timeout_,
                                     [this](Connection* closed) { connections_.erase(closed); });
    connections_.emplace(connection.get(), connection);
    if (connections_.size() > max_clients_) {
        logger_.warn("too many clients; refusing one", {{"client", who}});
        connection->reject(protocol::make_error(
            nullptr, protocol::rpc_error_from(vpnse::Error(
                         vpnse::ErrorCode::limit_exceeded,
                         "too many clients (max_clients = " + std::to_string(max_clients_) + ")"))));
        return;
    }
    logger_.debug("client connected", {{"client", who}, {"privileged", caller.privileged ? "yes" : "no"}});
    connection->start();
}

void ConnectionSet::close_all() {
    auto connections = connections_;  // close() erases from connections_
    for (auto& [raw, connection] : connections)
        connection->close();
    connections_.clear();
}

}  // namespace vpnsed::rpc
