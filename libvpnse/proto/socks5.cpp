#include "proto/socks5.hpp"

namespace vpnse::proto {
namespace {

constexpr std::uint8_t kVersion = 5;
constexpr std::uint8_t kMethodNone = 0x00;
constexpr std::uint8_t kMethodPassword = 0x02;
constexpr std::uint8_t kNoAcceptableMethod = 0xff;
constexpr std::uint8_t kPasswordVersion = 1;  // RFC 1929 section 2
constexpr std::uint8_t kCommandConnect = 1;
constexpr std::uint8_t kAddressIpv4 = 1;
constexpr std::uint8_t kAddressDomain = 3;
constexpr std::uint8_t kAddressIpv6 = 4;

// RFC 1928 section 6, in words.
std::string reply_text(std::uint8_t code) {
    switch (code) {
        case 1:
            return "general SOCKS server failure";
        case 2:
            return "connection not allowed by ruleset";
        case 3:
            return "network unreachable";
        case 4:
            return "host unreachable";
        case 5:
            return "connection refused";
        case 6:
            return "TTL expired";
        case 7:
            return "command not supported";
        case 8:
            return "address type not supported";
        default:
            return "unassigned reply code";
    }
}

}  // namespace

Socks5Handshake::Socks5Handshake(ProxyServer proxy, ProxyTarget target)
    : proxy_(std::move(proxy)), target_(std::move(target)) {
    ByteWriter w(output_);
    w.u8(kVersion);
    if (proxy_.username.empty()) {
        w.u8(1);
        w.u8(kMethodNone);
    } else {
        // Offer both: a proxy that needs no credentials may pick "none".
        w.u8(2);
        w.u8(kMethodNone);
        w.u8(kMethodPassword);
    }
}

Error Socks5Handshake::fail(ErrorCode code, const std::string& what) const {
    return Error(code, describe_proxy(proxy_) + " (SOCKS5) " + what);
}

Result<std::size_t> Socks5Handshake::feed(ByteSpan data) {
    std::size_t consumed = 0;
    // Byte by byte: each reply's length is only known from its own header, and bytes after the last
    // reply are the server's. A reply is at most 4 + 1 + 255 + 2 bytes.
    while (state_ != State::done && consumed < data.size()) {
        pending_.push_back(data[consumed++]);
        Result<bool> complete = false;
        switch (state_) {
            case State::method:
                complete = on_method_reply();
                break;
            case State::auth:
                complete = on_auth_reply();
                break;
            case State::connect:
                complete = on_connect_reply();
                break;
            case State::done:
                break;
        }
        if (!complete)
            return std::move(complete).error();
        if (*complete)
            pending_.clear();
    }
    return consumed;
}

Result<bool> Socks5Handshake::on_method_reply() {
    if (pending_.size() < 2)
        return false;
    if (pending_[0] != kVersion)
        return fail(ErrorCode::protocol_error,
                    "did not answer like a SOCKS5 server (version " + std::to_string(pending_[0]) + ")");
    const std::uint8_t method = pending_[1];
    if (method == kMethodNone) {
        queue_connect_request();
        return true;
    }
    if (method == kMethodPassword && !proxy_.username.empty()) {
        ByteWriter w(output_);
        w.u8(kPasswordVersion);
        w.u8(static_cast<std::uint8_t>(proxy_.username.size()));
        w.text(proxy_.username);
        w.u8(static_cast<std::uint8_t>(proxy_.password.size()));
        w.text(proxy_.password);
        state_ = State::auth;
        return true;
    }
    if (method == kNoAcceptableMethod || method == kMethodPassword) {
        if (proxy_.username.empty())
            return fail(ErrorCode::auth_failed,
                        "requires authentication; set proxy.username and proxy.password");
        return fail(ErrorCode::auth_failed, "accepts none of the offered methods (none, username/password)");
    }
    return fail(ErrorCode::protocol_error,
                "chose method " + std::to_string(method) + ", which was not offered");
}

Result<bool> Socks5Handshake::on_auth_reply() {
    if (pending_.size() < 2)
        return false;
    // RFC 1929 says version 1; some servers echo 5. Only the status matters.
    if (pending_[1] != 0)
        return fail(ErrorCode::auth_failed,
                    "refused the credentials (username/password status " + std::to_string(pending_[1]) + ")");
    queue_connect_request();
    return true;
}

void Socks5Handshake::queue_connect_request() {
    ByteWriter w(output_);
    w.u8(kVersion);
    w.u8(kCommandConnect);
    w.u8(0);  // reserved
    if (!target_.address.empty()) {
        w.u8(target_.address.size() == 4 ? kAddressIpv4 : kAddressIpv6);
        w.bytes(target_.address);
    } else {
        // A name: the proxy resolves it, so the client never needs DNS for the server.
        w.u8(kAddressDomain);
        w.u8(static_cast<std::uint8_t>(target_.host.size()));
        w.text(target_.host);
    }
    w.u16(target_.port);
    state_ = State::connect;
}

Result<bool> Socks5Handshake::on_connect_reply() {
    // VER REP RSV ATYP BND.ADDR BND.PORT (RFC 1928 section 6)
    if (pending_.size() < 5)
        return false;
    if (pending_[0] != kVersion)
        return fail(ErrorCode::protocol_error,
                    "sent a reply of version " + std::to_string(pending_[0]) + " to CONNECT");
    const std::uint8_t code = pending_[1];
    if (code != 0) {
        const std::string what = "could not connect to " + target_.host + ":" + std::to_string(target_.port) +
                                 ": " + reply_text(code) + " (reply " + std::to_string(code) + ")";
        return fail(code == 2 ? ErrorCode::access_denied : ErrorCode::connect_failed, what);
    }
    std::size_t address_size = 0;
    switch (pending_[3]) {
        case kAddressIpv4:
            address_size = 4;
            break;
        case kAddressIpv6:
            address_size = 16;
            break;
        case kAddressDomain:
            address_size = 1 + std::size_t{pending_[4]};
            break;
        default:
            return fail(ErrorCode::protocol_error,
                        "sent an unknown address type " + std::to_string(pending_[3]) + " in its reply");
    }
    if (pending_.size() < 4 + address_size + 2)
        return false;
    state_ = State::done;
    return true;
}

}  // namespace vpnse::proto
