#include "protocol/jsonrpc.hpp"

#include "protocol/error_mapping.hpp"

namespace vpnsed::protocol {

std::variant<Request, InvalidRequest> parse_request(const json& message) {
    auto invalid = [](json id, std::string text) {
        return InvalidRequest{std::move(id), protocol_error(kInvalidRequest, std::move(text))};
    };
    if (!message.is_object())
        return invalid(nullptr, "invalid request: expected a JSON object");
    Request request;
    if (auto it = message.find("id"); it != message.end()) {
        // Section 4: an id is a string, a number or null; fractional numbers are discouraged, so refused.
        if (!it->is_string() && !it->is_number_integer() && !it->is_null())
            return invalid(nullptr, "invalid request: id must be a string or an integer");
        request.id = *it;
    } else {
        request.is_notification = true;
    }
    auto version = message.find("jsonrpc");
    if (version == message.end() || *version != "2.0")
        return invalid(request.id, "invalid request: jsonrpc must be \"2.0\"");
    auto method = message.find("method");
    if (method == message.end() || !method->is_string())
        return invalid(request.id, "invalid request: method must be a string");
    request.method = method->get<std::string>();
    if (auto params = message.find("params"); params != message.end()) {
        if (params->is_array())
            return InvalidRequest{
                request.id,
                protocol_error(kInvalidParams, "invalid params: params must be an object (by name)")};
        if (!params->is_object() && !params->is_null())
            return invalid(request.id, "invalid request: params must be an object");
        request.params = *params;
    }
    for (const auto& [key, value] : message.items()) {
        if (key != "jsonrpc" && key != "id" && key != "method" && key != "params")
            return invalid(request.id, "invalid request: unknown member \"" + key + "\"");
    }
    return request;
}

json make_request(const json& id, std::string_view method, json params) {
    json out = {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
    if (!params.is_null())
        out["params"] = std::move(params);
    return out;
}

json make_notification(std::string_view method, json params) {
    return {{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
}

json make_result(const json& id, json result) {
    return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

json error_to_json(const RpcError& error) {
    json out = {{"code", error.code}, {"message", error.message}};
    if (!error.data.is_null())
        out["data"] = error.data;
    return out;
}

json make_error(const json& id, const RpcError& error) {
    return {{"jsonrpc", "2.0"}, {"id", id}, {"error", error_to_json(error)}};
}

RpcError error_from_json(const json& error) {
    RpcError out;
    out.message = "malformed error from the daemon";
    if (!error.is_object())
        return out;
    if (auto code = error.find("code"); code != error.end() && code->is_number_integer())
        out.code = code->get<int>();
    if (auto message = error.find("message"); message != error.end() && message->is_string())
        out.message = message->get<std::string>();
    if (auto data = error.find("data"); data != error.end())
        out.data = *data;
    return out;
}

}  // namespace vpnsed::protocol
