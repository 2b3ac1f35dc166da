#pragma once
// HTTP CONNECT through a proxy (RFC 9110 9.3.6) with optional Basic credentials (RFC 7617).
#include <string>

#include "proto/proxy_handshake.hpp"

namespace vpnse::proto {

class HttpConnectHandshake final : public ProxyHandshake {
  public:
    // Fields are checked by make_proxy_handshake.
    HttpConnectHandshake(ProxyServer proxy, const ProxyTarget& target);

    Bytes take_output() override { return std::move(output_); }
    Result<std::size_t> feed(ByteSpan data) override;
    bool done() const override { return done_; }

  private:
    Status check_status_line(std::string_view line) const;

    ProxyServer proxy_;
    std::string target_;  // "host:port" as sent in the request line
    Bytes output_;
    std::string header_;
    bool done_ = false;
};

}  // namespace vpnse::proto
