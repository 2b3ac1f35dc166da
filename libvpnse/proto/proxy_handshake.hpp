#pragma once
// The handshake with a proxy in front of the server, before TLS starts: HTTP CONNECT (RFC 9110 9.3.6,
// Basic credentials RFC 7617) or SOCKS5 (RFC 1928, username/password RFC 1929). Sans-I/O: the transport
// sends what take_output() gives, feeds what the proxy answers, and starts TLS once done().
//
// Every error names the proxy ("proxy 10.0.0.1:3128 refused the credentials (HTTP 407)"):
//   auth_failed      the proxy wants credentials we lack, or refused ours (no retry helps)
//   access_denied    the proxy's rules forbid the target (HTTP 403, SOCKS5 reply 2)
//   connect_failed   the proxy could not reach the target (HTTP 502/503/504, other SOCKS5 replies)
//   protocol_error   the proxy does not speak the protocol (bad status line, bad version, ...)
//   limit_exceeded   an HTTP reply header over kMaxProxyReplyHeader bytes
#include <cstdint>
#include <memory>
#include <string>

#include "core/bytes.hpp"
#include "vpnse/result.hpp"

namespace vpnse::proto {

enum class ProxyType { http, socks5 };

struct ProxyServer {
    ProxyType type = ProxyType::http;
    std::string host;
    std::uint16_t port = 0;
    std::string username;  // empty: no authentication offered
    std::string password;  // never logged
};

// Where the proxy is asked to connect: the server, as the profile names it.
struct ProxyTarget {
    std::string host;  // a name the proxy resolves, or an address literal
    std::uint16_t port = 0;
    // The 4 or 16 address bytes when `host` is an IPv4 or IPv6 literal (the caller parses it, so this
    // layer needs no socket library): SOCKS5 sends an address then, and a name otherwise.
    Bytes address;
};

// The proxy's HTTP reply header is bounded; real ones are a few hundred bytes.
constexpr std::size_t kMaxProxyReplyHeader = 8192;

class ProxyHandshake {
  public:
    virtual ~ProxyHandshake() = default;
    // What to send to the proxy now; empty while waiting for its reply.
    virtual Bytes take_output() = 0;
    // Consumes proxy reply bytes and returns how many it took: never more than the reply, so anything
    // after it belongs to the tunnelled connection.
    virtual Result<std::size_t> feed(ByteSpan data) = 0;
    // The proxy has connected us to the target; bytes from here on are the server's.
    virtual bool done() const = 0;
};

// "proxy 10.0.0.1:3128" / "proxy [fd00::1]:1080": how every message names the proxy.
std::string describe_proxy(const ProxyServer& proxy);

// A handshake asking `proxy` to connect to `target`. invalid_argument if a field cannot be sent (control
// characters, SOCKS5 fields over 255 bytes, a ':' in an HTTP user name).
Result<std::unique_ptr<ProxyHandshake>> make_proxy_handshake(const ProxyServer& proxy, ProxyTarget target);

}  // namespace vpnse::proto
