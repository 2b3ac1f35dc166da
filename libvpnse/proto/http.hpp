#pragma once
// The HTTP framing of the handshake (softether-protocol.md 3, 4.1, 6): the client's two POSTs and an
// incremental reader for the server's responses that never reads past Content-Length.
#include <string>
#include <string_view>

#include "core/bytes.hpp"
#include "core/random.hpp"
#include "proto/pack.hpp"
#include "vpnse/result.hpp"

namespace vpnse::proto {

// POST /vpnsvc/connect.cgi with the 10-byte "VPNCONNECT" body (3.3).
Bytes build_signature_request(std::string_view host);
// POST /vpnsvc/vpn.cgi carrying `pack` plus a `pencore` of 0..999 random bytes (6.1).
Bytes build_pack_request(std::string_view host, const Pack& pack, RandomSource& rng);

struct HttpLimits {
    std::size_t max_header_bytes = 16384;
    std::size_t max_body_bytes = 1 << 20;
};

class HttpResponseReader {
  public:
    explicit HttpResponseReader(HttpLimits limits = {}) : limits_(limits) {}

    // Consumes bytes until the response is complete and returns how many it took; bytes after the body
    // are left to the caller (the data channel follows the welcome at once, 4.1).
    Result<std::size_t> feed(ByteSpan data);
    bool done() const { return state_ == State::done; }
    int status() const { return status_; }
    ByteSpan body() const { return body_; }
    void reset();

  private:
    enum class State { header, body, done };
    Status parse_header();

    HttpLimits limits_;
    State state_ = State::header;
    std::string header_;
    Bytes body_;
    std::size_t content_length_ = 0;
    int status_ = 0;
};

}  // namespace vpnse::proto
