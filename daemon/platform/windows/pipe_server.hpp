#pragma once
// The control channel on Windows: the named pipe \\.\pipe\vpnse with the same newline-delimited JSON-RPC
// as the Unix socket (docs/ipc-jsonrpc.md), served by the same Connection and Dispatcher; only the
// transport and the caller's identity differ. Identity comes from the client's token
// (platform/windows/pipe_caller.hpp). The pipe's ACL matches the authorization: SYSTEM and
// Administrators full control, Everyone read/write data (to send requests; what a call may do is decided
// per call), nobody else may create instances, so no other process can squat the name. Remote clients
// are refused (PIPE_REJECT_REMOTE_CLIENTS).
#include <asio/io_context.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "rpc/connection_set.hpp"
#include "rpc/dispatcher.hpp"
#include "vpnse/log.hpp"
#include "vpnse/result.hpp"

namespace vpnsed::rpc {

inline constexpr const char* kDefaultPipeName = R"(\\.\pipe\vpnse)";
// SDDL of the pipe: protected DACL; 0x12018b = FILE_GENERIC_READ | FILE_WRITE_DATA | FILE_WRITE_ATTRIBUTES
// (no FILE_CREATE_PIPE_INSTANCE).
inline constexpr const char* kPipeSddl = "D:P(A;;GA;;;SY)(A;;GA;;;BA)(A;;0x12018b;;;WD)";

struct PipeServerOptions {
    std::string pipe_name = kDefaultPipeName;
    std::string group = "vpnse";  // the local group whose members may mutate
    std::size_t max_clients = 64;
    std::chrono::seconds idle_timeout{60};
};

class PipeServer {
  public:
    PipeServer(asio::io_context& io, Dispatcher& dispatcher, PipeServerOptions options, vpnse::Logger logger);
    ~PipeServer();
    PipeServer(const PipeServer&) = delete;
    PipeServer& operator=(const PipeServer&) = delete;

    // already_exists when another process owns the pipe name; io_error on other failures.
    vpnse::Status listen();
    // Stops accepting and closes every client.
    void stop();
    std::size_t client_count() const { return clients_.size(); }

  private:
    struct Pending;
    vpnse::Status accept_next(bool first);

    asio::io_context& io_;
    Dispatcher& dispatcher_;
    PipeServerOptions options_;
    vpnse::Logger logger_;
    std::shared_ptr<Pending> pending_;  // the instance waiting for the next client
    ConnectionSet clients_;
    bool listening_ = false;
};

}  // namespace vpnsed::rpc
