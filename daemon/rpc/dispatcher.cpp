#include "rpc/dispatcher.hpp"

#include <variant>

#include "protocol/error_mapping.hpp"
#include "protocol/framing.hpp"
#include "protocol/methods.hpp"

namespace vpnsed::rpc {

using nlohmann::json;
using protocol::kInvalidParams;
using protocol::kInvalidRequest;
using protocol::kMethodNotFound;
using protocol::kParseError;

void Responder::result(json result) const {
    if (reply_)
        reply_(protocol::make_result(id_, std::move(result)));
}
void Responder::error(const vpnse::Error& error) const {
    rpc_error(protocol::rpc_error_from(error));
}
void Responder::invalid_params(const vpnse::Error& error) const {
    rpc_error(protocol::protocol_error(kInvalidParams, error.message()));
}
void Responder::rpc_error(const protocol::RpcError& error) const {
    if (reply_)
        reply_(protocol::make_error(id_, error));
}

Dispatcher::Dispatcher(api::ServiceApi& api) : methods_(json_rpc_methods(api)) {}

bool Dispatcher::dispatch(std::string_view line, Peer& peer, Reply reply) {
    // Copying a parsed value recurses (a deeply nested "params" took the daemon down): bound the depth
    // before parsing. Untrusted params are never dumped back.
    if (protocol::nested_deeper_than(line, protocol::kMaxNestingDepth)) {
        reply(protocol::make_error(
            nullptr, protocol::protocol_error(kInvalidRequest,
                                              "invalid request: JSON nested deeper than " +
                                                  std::to_string(protocol::kMaxNestingDepth) + " levels")));
        return true;
    }
    json message = json::parse(line, nullptr, false);
    if (message.is_discarded()) {
        reply(protocol::make_error(
            nullptr, protocol::protocol_error(kParseError, "parse error: the line is not valid JSON")));
        return true;
    }
    return dispatch_message(message, peer, std::move(reply));
}

bool Dispatcher::dispatch_message(const json& message, Peer& peer, Reply reply) {
    if (message.is_array()) {
        reply(protocol::make_error(
            nullptr,
            protocol::protocol_error(kInvalidRequest, "invalid request: batch requests are not supported")));
        return true;
    }
    auto parsed = protocol::parse_request(message);
    if (auto* invalid = std::get_if<protocol::InvalidRequest>(&parsed)) {
        reply(protocol::make_error(invalid->id, invalid->error));
        return true;
    }
    const auto& request = std::get<protocol::Request>(parsed);
    Responder respond(request.id, request.is_notification ? Reply() : std::move(reply));
    auto method = methods_.find(request.method);
    if (method == methods_.end()) {
        respond.rpc_error(protocol::protocol_error(kMethodNotFound, "method not found: " + request.method));
        return !request.is_notification;
    }
    method->second(request, peer, respond);
    return !request.is_notification;
}

}  // namespace vpnsed::rpc
