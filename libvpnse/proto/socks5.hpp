#pragma once
// SOCKS5 CONNECT (RFC 1928) with "no authentication" or username/password (RFC 1929).
#include <string>

#include "proto/proxy_handshake.hpp"

namespace vpnse::proto {

class Socks5Handshake final : public ProxyHandshake {
  public:
    // Fields are checked by make_proxy_handshake.
    Socks5Handshake(ProxyServer proxy, ProxyTarget target);

    Bytes take_output() override { return std::move(output_); }
    Result<std::size_t> feed(ByteSpan data) override;
    bool done() const override { return state_ == State::done; }

  private:
    enum class State { method, auth, connect, done };
    // Each step parses one complete reply held in pending_; false while more bytes are needed.
    Result<bool> on_method_reply();
    Result<bool> on_auth_reply();
    Result<bool> on_connect_reply();
    void queue_connect_request();
    Error fail(ErrorCode code, const std::string& what) const;

    ProxyServer proxy_;
    ProxyTarget target_;
    State state_ = State::method;
    Bytes output_;
    Bytes pending_;  // the part of the current reply received so far
};

}  // namespace vpnse::proto
