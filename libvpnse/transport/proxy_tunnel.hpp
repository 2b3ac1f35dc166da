#pragma once
// Runs a proxy handshake (proto/proxy_handshake.hpp) on a socket already connected to the proxy, so that
// the bytes after it reach the server. Used by TlsConnection between the TCP connect and TLS.
#include <asio/ip/tcp.hpp>
#include <functional>
#include <memory>

#include "proto/proxy_handshake.hpp"
#include "vpnse/error.hpp"

namespace vpnse::transport {

// The proxy and what it is asked to reach, as a connection is given them.
struct ProxyRoute {
    proto::ProxyServer server;
    proto::ProxyTarget target;
};

// Makes the target of a route to host:port; an address literal is passed as bytes (SOCKS5 sends those).
proto::ProxyTarget proxy_target(const std::string& host, std::uint16_t port);

// Calls `done` once: Error{} when the proxy has connected the socket to the target, else why not.
// `socket` must outlive the call to `done` (the owner keeps itself alive through `done`). The proxy
// replies byte-exactly, so nothing of the server's is read here; bytes after a reply are refused.
void run_proxy_handshake(asio::ip::tcp::socket& socket, std::unique_ptr<proto::ProxyHandshake> handshake,
                         std::string proxy_name, std::function<void(Error)> done);

}  // namespace vpnse::transport
