#pragma once
// Turns one request line into exactly one response (or none for a notification), with the JSON-RPC
// error rules of docs/ipc-jsonrpc.md: malformed JSON -> -32700, not a request -> -32600, unknown method ->
// -32601, bad params -> -32602, failures of the operation -> the vpnse code (protocol/error_mapping.hpp).
// Handlers live in one file per method group (*_methods.cpp). Runs on the io_context thread; a reply may
// come later (tunnels.connect with wait).
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "protocol/jsonrpc.hpp"
#include "rpc/peer.hpp"
#include "service/log_buffer.hpp"
#include "service/tunnel_manager.hpp"
#include "vpnse/log.hpp"

namespace vpnsed::rpc {

using Reply = std::function<void(nlohmann::json response)>;
// Completes one request. A handler calls exactly one of its members once, now or later; copies share the
// request, and a Responder whose client has gone away discards the answer.
class Responder {
  public:
    Responder(nlohmann::json id, Reply reply) : id_(std::move(id)), reply_(std::move(reply)) {}
    void result(nlohmann::json result) const;
    void error(const vpnse::Error& error) const;           // application error: code = vpnse code
    void invalid_params(const vpnse::Error& error) const;  // -32602
    void rpc_error(const protocol::RpcError& error) const;

  private:
    nlohmann::json id_;
    Reply reply_;  // null for notifications
};
using Handler = std::function<void(const protocol::Request& request, Peer& peer, const Responder& respond)>;

struct MethodEntry {
    Handler handler;
    bool mutating = false;
};
using MethodTable = std::map<std::string, MethodEntry, std::less<>>;

struct DispatchContext {
    service::TunnelManager& tunnels;
    service::EventBus& bus;
    service::LogBuffer* logs;  // null: daemon.logs returns nothing
    std::string group;         // for permission messages
    vpnse::Logger logger;
};

void add_daemon_methods(MethodTable& table, DispatchContext& context);
void add_profile_methods(MethodTable& table, DispatchContext& context);
void add_tunnel_methods(MethodTable& table, DispatchContext& context);
void add_event_methods(MethodTable& table, DispatchContext& context);

class Dispatcher {
  public:
    explicit Dispatcher(DispatchContext context);
    // Returns false for notifications (requests without id): `reply` will never be called for them.
    // Otherwise `reply` is called exactly once, possibly before dispatch returns.
    bool dispatch(std::string_view line, Peer& peer, Reply reply);
    bool dispatch_message(const nlohmann::json& message, Peer& peer, Reply reply);

  private:
    DispatchContext context_;
    MethodTable methods_;
};

}  // namespace vpnsed::rpc
