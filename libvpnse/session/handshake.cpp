#include "session/handshake.hpp"

namespace vpnse::session {
namespace {
// A master server may send up to this many keep-busy PACKs before the real reply (6.3).
constexpr int kMaxNoops = 30;
}  // namespace

Handshake::Handshake(std::string host_header, RequestBuilder build_request, RandomSource& rng)
    : host_(std::move(host_header)), build_request_(std::move(build_request)), rng_(rng) {}

Bytes Handshake::begin() {
    stage_ = Stage::hello;
    return proto::build_signature_request(host_);
}

Bytes Handshake::take_output() {
    return std::move(output_);
}

Result<std::size_t> Handshake::feed(ByteSpan data) {
    std::size_t consumed = 0;
    while (consumed < data.size() && stage_ != Stage::done) {
        if (stage_ == Stage::signature)
            return Error(ErrorCode::invalid_state, "handshake not started");
        auto used = reader_.feed(data.subspan(consumed));
        if (!used)
            return std::move(used).error();
        consumed += *used;
        if (!reader_.done())
            break;
        auto status = on_response(reader_.body());
        reader_.reset();
        if (!status)
            return std::move(status).error();
    }
    return consumed;
}

Status Handshake::on_response(ByteSpan body) {
    auto pack = proto::Pack::decode(body);
    if (!pack) {
        return Error(stage_ == Stage::hello ? ErrorCode::server_not_vpn : ErrorCode::protocol_error,
                     "server sent an unreadable PACK: " + pack.error().message());
    }
    if (stage_ == Stage::hello) {
        auto hello = proto::parse_hello(*pack);
        if (!hello)
            return std::move(hello).error();
        hello_ = std::move(hello).value();
        auto request = build_request_(hello_);
        if (!request)
            return std::move(request).error();
        auto bytes = proto::build_pack_request(host_, *request, rng_);
        output_.insert(output_.end(), bytes.begin(), bytes.end());
        stage_ = Stage::reply;
        return {};
    }
    if (proto::is_noop(*pack)) {
        if (++noops_ > kMaxNoops)
            return Error(ErrorCode::protocol_error, "server sent too many keep-busy PACKs");
        return {};
    }
    reply_ = std::move(pack).value();
    stage_ = Stage::done;
    return {};
}

}  // namespace vpnse::session
