#include "proto/http.hpp"

#include <algorithm>
#include <charconv>

namespace vpnse::proto {
namespace {

constexpr std::string_view kSignatureBody = "VPNCONNECT";
constexpr std::size_t kMaxPencore = 1000;

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
        text.remove_suffix(1);
    return text;
}

void append_request_head(Bytes& out, std::string_view path, std::string_view content_type, std::size_t length,
                         std::string_view host) {
    ByteWriter w(out);
    w.text("POST ");
    w.text(path);
    w.text(" HTTP/1.1\r\nConnection: Keep-Alive\r\nContent-Length: ");
    w.text(std::to_string(length));
    w.text("\r\nContent-Type: ");
    w.text(content_type);
    w.text("\r\nHost: ");
    w.text(host);
    w.text("\r\nKeep-Alive: timeout=15; max=19\r\n\r\n");
}

}  // namespace

Bytes build_signature_request(std::string_view host) {
    Bytes out;
    // The server only checks the path and the body (3.2); the JPEG type is the official client's.
    append_request_head(out, "/vpnsvc/connect.cgi", "image/jpeg", kSignatureBody.size(), host);
    ByteWriter(out).text(kSignatureBody);
    return out;
}

Bytes build_pack_request(std::string_view host, const Pack& pack, RandomSource& rng) {
    Pack padded = pack;
    Bytes pencore(rng.uniform(kMaxPencore));
    rng.fill(pencore);
    padded.set_data("pencore", pencore);
    Bytes body = padded.encode();
    Bytes out;
    out.reserve(body.size() + 200);
    append_request_head(out, "/vpnsvc/vpn.cgi", "application/octet-stream", body.size(), host);
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

void HttpResponseReader::reset() {
    state_ = State::header;
    header_.clear();
    body_.clear();
    content_length_ = 0;
    status_ = 0;
}

Result<std::size_t> HttpResponseReader::feed(ByteSpan data) {
    std::size_t consumed = 0;
    if (state_ == State::header) {
        // Take bytes up to and including the blank line, never beyond it.
        while (consumed < data.size()) {
            header_.push_back(static_cast<char>(data[consumed++]));
            if (header_.size() >= 4 && header_.compare(header_.size() - 4, 4, "\r\n\r\n") == 0)
                break;
            if (header_.size() > limits_.max_header_bytes) {
                return Error(ErrorCode::server_not_vpn, "HTTP response header longer than " +
                                                            std::to_string(limits_.max_header_bytes) +
                                                            " bytes");
            }
        }
        if (header_.size() < 4 || header_.compare(header_.size() - 4, 4, "\r\n\r\n") != 0)
            return consumed;
        if (auto status = parse_header(); !status)
            return std::move(status).error();
        state_ = State::body;
        body_.reserve(content_length_);
    }
    if (state_ == State::body) {
        const std::size_t take = std::min(data.size() - consumed, content_length_ - body_.size());
        body_.insert(body_.end(), data.begin() + static_cast<std::ptrdiff_t>(consumed),
                     data.begin() + static_cast<std::ptrdiff_t>(consumed + take));
        consumed += take;
        if (body_.size() == content_length_)
            state_ = State::done;
    }
    return consumed;
}

Status HttpResponseReader::parse_header() {
    std::string_view text(header_);
    const auto line_end = text.find("\r\n");
    const std::string_view status_line = text.substr(0, line_end);
    // "HTTP/1.1 200 OK": the official client insists on HTTP/1.1 and 200 (4.1).
    const auto first_space = status_line.find(' ');
    if (first_space == std::string_view::npos || status_line.substr(0, 5) != "HTTP/") {
        return Error(ErrorCode::server_not_vpn,
                     "not an HTTP response: '" + std::string(status_line.substr(0, 64)) + "'");
    }
    auto code_text = status_line.substr(first_space + 1, 3);
    int code = 0;
    auto [ptr, ec] = std::from_chars(code_text.data(), code_text.data() + code_text.size(), code);
    if (ec != std::errc() || ptr != code_text.data() + code_text.size()) {
        return Error(ErrorCode::server_not_vpn,
                     "bad HTTP status line '" + std::string(status_line.substr(0, 64)) + "'");
    }
    status_ = code;
    if (code != 200) {
        return Error(ErrorCode::server_not_vpn,
                     "the server answered HTTP " + std::to_string(code) + " instead of a SoftEther hello");
    }
    bool have_length = false;
    bool octet_stream = false;
    std::size_t pos = line_end + 2;
    while (pos < text.size()) {
        const auto end = text.find("\r\n", pos);
        if (end == std::string_view::npos || end == pos)
            break;
        const auto line = text.substr(pos, end - pos);
        pos = end + 2;
        const auto colon = line.find(':');
        if (colon == std::string_view::npos)
            continue;
        const auto name = lower(trim(line.substr(0, colon)));
        const auto value = trim(line.substr(colon + 1));
        if (name == "content-length") {
            std::size_t length = 0;
            auto [p, e] = std::from_chars(value.data(), value.data() + value.size(), length);
            if (e != std::errc() || p != value.data() + value.size() || length == 0) {
                return Error(ErrorCode::server_not_vpn,
                             "bad Content-Length '" + std::string(value.substr(0, 32)) + "'");
            }
            if (length > limits_.max_body_bytes) {
                return Error(ErrorCode::limit_exceeded, "the server announced a " + std::to_string(length) +
                                                            "-byte reply (limit " +
                                                            std::to_string(limits_.max_body_bytes) + ")");
            }
            content_length_ = length;
            have_length = true;
        } else if (name == "content-type") {
            octet_stream = lower(value) == "application/octet-stream";
        }
    }
    if (!have_length)
        return Error(ErrorCode::server_not_vpn, "HTTP response without Content-Length");
    if (!octet_stream)
        return Error(ErrorCode::server_not_vpn, "HTTP response is not application/octet-stream");
    return {};
}

}  // namespace vpnse::proto
