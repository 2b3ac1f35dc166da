#include "proto/proxy_handshake.hpp"

#include <algorithm>

#include "proto/http_connect.hpp"
#include "proto/socks5.hpp"

namespace vpnse::proto {
namespace {

bool has_control_characters(std::string_view text) {
    return std::any_of(text.begin(), text.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

Status check_fields(const ProxyServer& proxy, const ProxyTarget& target) {
    const std::string_view target_host = target.host;
    const std::string name = describe_proxy(proxy);
    if (target_host.empty() || has_control_characters(target_host) ||
        target_host.find(' ') != std::string_view::npos)
        return Error(ErrorCode::invalid_argument, name + ": the server name cannot be sent to a proxy");
    if (!target.address.empty() && target.address.size() != 4 && target.address.size() != 16)
        return Error(ErrorCode::invalid_argument, name + ": a server address has 4 or 16 bytes");
    if (proxy.username.empty() && !proxy.password.empty())
        return Error(ErrorCode::invalid_argument, name + ": a password needs a user name");
    if (proxy.type == ProxyType::socks5) {
        // RFC 1928 section 5 and RFC 1929 section 2: one length octet each.
        if (target_host.size() > 255)
            return Error(ErrorCode::invalid_argument,
                         name + ": SOCKS5 cannot carry a server name over 255 bytes");
        if (proxy.username.size() > 255 || proxy.password.size() > 255)
            return Error(ErrorCode::invalid_argument,
                         name + ": SOCKS5 user names and passwords are at most 255 bytes");
    } else if (proxy.username.find(':') != std::string::npos) {
        // RFC 7617 section 2: the user-id ends at the first colon.
        return Error(ErrorCode::invalid_argument, name + ": an HTTP proxy user name cannot contain ':'");
    }
    return {};
}

}  // namespace

std::string describe_proxy(const ProxyServer& proxy) {
    const bool v6 = proxy.host.find(':') != std::string::npos;
    return "proxy " + (v6 ? "[" + proxy.host + "]" : proxy.host) + ":" + std::to_string(proxy.port);
}

Result<std::unique_ptr<ProxyHandshake>> make_proxy_handshake(const ProxyServer& proxy, ProxyTarget target) {
    if (auto status = check_fields(proxy, target); !status)
        return std::move(status).error();
    if (proxy.type == ProxyType::socks5)
        return std::unique_ptr<ProxyHandshake>(std::make_unique<Socks5Handshake>(proxy, std::move(target)));
    return std::unique_ptr<ProxyHandshake>(std::make_unique<HttpConnectHandshake>(proxy, target));
}

}  // namespace vpnse::proto
