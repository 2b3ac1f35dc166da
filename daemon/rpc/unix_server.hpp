#pragma once
// The control socket: an AF_UNIX stream listener at settings.socket_path, mode 0666 so any local user can
// read status; authorization is per call from SO_PEERCRED (rpc/peer_credentials.hpp), not from file
// permissions. Accepts up to max_clients connections; one more gets an error line and is closed.
#include <asio/io_context.hpp>
#include <asio/local/stream_protocol.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "rpc/connection_set.hpp"
#include "rpc/dispatcher.hpp"
#include "vpnse/log.hpp"
#include "vpnse/result.hpp"

namespace vpnsed::rpc {

struct ServerOptions {
    std::string socket_path;
    std::string group;  // privileged group name
    std::size_t max_clients = 64;
    std::chrono::seconds idle_timeout{60};
};

class UnixServer {
  public:
    UnixServer(asio::io_context& io, Dispatcher& dispatcher, ServerOptions options, vpnse::Logger logger);
    ~UnixServer();
    UnixServer(const UnixServer&) = delete;
    UnixServer& operator=(const UnixServer&) = delete;

    // Creates the parent directory if missing (mode 0755), replaces a stale socket file (one nobody
    // listens on), and refuses to start when another daemon answers on the path (already_exists) or the
    // path is not a socket.
    vpnse::Status listen();
    // Stops accepting, closes every client and removes the socket file.
    void stop();
    std::size_t client_count() const { return clients_.size(); }

  private:
    void warn_if_unreachable(const std::filesystem::path& socket_path) const;
    void accept();

    asio::io_context& io_;
    Dispatcher& dispatcher_;
    ServerOptions options_;
    vpnse::Logger logger_;
    asio::local::stream_protocol::acceptor acceptor_;
    ConnectionSet clients_;
    bool listening_ = false;
};

}  // namespace vpnsed::rpc
