#pragma once
// The live clients of one control endpoint (the Unix socket, the Windows pipe): each admitted stream
// becomes a Connection kept until it closes; beyond max_clients a newcomer gets a limit_exceeded error
// line and is closed. The endpoints only accept and identify; admission is decided here, once.
#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "rpc/connection.hpp"
#include "rpc/dispatcher.hpp"
#include "vpnse/log.hpp"

namespace vpnsed::rpc {

class ConnectionSet {
  public:
    ConnectionSet(Dispatcher& dispatcher, std::size_t max_clients, std::chrono::seconds idle_timeout,
                  vpnse::Logger logger);
    ConnectionSet(const ConnectionSet&) = delete;
    ConnectionSet& operator=(const ConnectionSet&) = delete;

    // `who` names the client in logs ("uid 1000", "pid 4242").
    void admit(std::unique_ptr<ControlStream> stream, const Caller& caller, const std::string& who);
    void close_all();
    std::size_t size() const { return connections_.size(); }

  private:
    Dispatcher& dispatcher_;
    std::size_t max_clients_;
    std::chrono::seconds idle_timeout_;
    vpnse::Logger logger_;
    std::map<Connection*, std::shared_ptr<Connection>> connections_;
};

}  // namespace vpnsed::rpc
