#pragma once
// The request/response part of one TCP connection, before the data channel starts
// (softether-protocol.md 1): signature upload → hello → one request PACK (login or additional_connect)
// → the server's reply PACK. Sans-I/O: plaintext in, plaintext out.
#include <functional>
#include <optional>
#include <string>

#include "core/bytes.hpp"
#include "core/random.hpp"
#include "proto/http.hpp"
#include "proto/login.hpp"
#include "proto/pack.hpp"
#include "vpnse/result.hpp"

namespace vpnse::session {

class Handshake {
  public:
    // Builds the request PACK once the hello (and its random) is known.
    using RequestBuilder = std::function<Result<proto::Pack>(const proto::Hello&)>;

    Handshake(std::string host_header, RequestBuilder build_request, RandomSource& rng);

    // The signature request (softether-protocol.md 3.3); call once, first.
    Bytes begin();
    // Feeds plaintext from the server. Returns the number of bytes consumed: once done() is true the
    // rest of `data` already belongs to the data channel (4.1: never read past Content-Length).
    Result<std::size_t> feed(ByteSpan data);
    // Plaintext to send (the request PACK), moved out by the caller.
    Bytes take_output();

    bool done() const { return stage_ == Stage::done; }
    const proto::Hello& hello() const { return hello_; }
    const proto::Pack& reply() const { return reply_; }

  private:
    enum class Stage { signature, hello, reply, done };
    Status on_response(ByteSpan body);

    std::string host_;
    RequestBuilder build_request_;
    RandomSource& rng_;
    proto::HttpResponseReader reader_;
    Stage stage_ = Stage::signature;
    proto::Hello hello_;
    proto::Pack reply_;
    Bytes output_;
    int noops_ = 0;
};

}  // namespace vpnse::session
