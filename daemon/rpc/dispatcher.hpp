#pragma once
// The JSON-RPC adapter over the service API (api/service_api.hpp): turns one request line into exactly
// one response (or none for a notification), with the JSON-RPC error rules of docs/ipc-jsonrpc.md:
// malformed JSON -> -32700, not a request -> -32600, unknown method -> -32601, bad params -> -32602,
// failures of the call -> the vpnse code (protocol/error_mapping.hpp). The methods (methods.cpp) only map
// JSON to API calls and back; what a call does and who may make it is the API's business. Runs on the
// io_context thread; a reply may come later (tunnels.connect with wait).
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "api/service_api.hpp"
#include "protocol/jsonrpc.hpp"
#include "rpc/peer.hpp"

namespace vpnsed::rpc {

using Reply = std::function<void(nlohmann::json response)>;
// Completes one request. A handler calls exactly one of its members once, now or later; copies share the
// request, and a Responder whose client has gone away discards the answer.
class Responder {
  public:
    Responder(nlohmann::json id, Reply reply) : id_(std::move(id)), reply_(std::move(reply)) {}
    void result(nlohmann::json result) const;
    // The API's answer: its value as `result`, or its error.
    template <class T>
    void answer(const vpnse::Result<T>& outcome) const {
        if (!outcome)
            return error(outcome.error());
        result(*outcome);
    }
    void error(const vpnse::Error& error) const;           // application error: code = vpnse code
    void invalid_params(const vpnse::Error& error) const;  // -32602
    void rpc_error(const protocol::RpcError& error) const;

  private:
    nlohmann::json id_;
    Reply reply_;  // null for notifications
};
using Handler = std::function<void(const protocol::Request& request, Peer& peer, const Responder& respond)>;

using MethodTable = std::map<std::string, Handler, std::less<>>;
MethodTable json_rpc_methods(api::ServiceApi& api);

class Dispatcher {
  public:
    explicit Dispatcher(api::ServiceApi& api);
    // Returns false for notifications (requests without id): `reply` will never be called for them.
    // Otherwise `reply` is called exactly once, possibly before dispatch returns.
    bool dispatch(std::string_view line, Peer& peer, Reply reply);
    bool dispatch_message(const nlohmann::json& message, Peer& peer, Reply reply);

  private:
    MethodTable methods_;
};

}  // namespace vpnsed::rpc
