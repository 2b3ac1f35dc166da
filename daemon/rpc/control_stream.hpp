#pragma once
// The byte stream under one control connection, so one Connection serves every transport: the Unix
// socket (rpc/unix_server.cpp) and the Windows named pipe (platform/windows/pipe_server.cpp).
#include <asio/any_io_executor.hpp>
#include <asio/buffer.hpp>
#include <asio/write.hpp>

#include <concepts>
#include <cstddef>
#include <functional>
#include <system_error>

namespace vpnsed::rpc {

class ControlStream {
  public:
    using Handler = std::function<void(const std::error_code& ec, std::size_t length)>;
    virtual ~ControlStream() = default;
    virtual asio::any_io_executor executor() = 0;
    virtual void read_some(asio::mutable_buffer buffer, Handler done) = 0;
    // Completes once all of `buffer` is written, or on the first error.
    virtual void write_all(asio::const_buffer buffer, Handler done) = 0;
    // Ends both directions; pending operations complete with an error.
    virtual void close() = 0;
};

// Any Asio stream: a local::stream_protocol::socket, a windows::stream_handle.
template <class Stream>
class AsioControlStream final : public ControlStream {
  public:
    explicit AsioControlStream(Stream stream) : stream_(std::move(stream)) {}
    asio::any_io_executor executor() override { return stream_.get_executor(); }
    void read_some(asio::mutable_buffer buffer, Handler done) override {
        stream_.async_read_some(buffer, std::move(done));
    }
    void write_all(asio::const_buffer buffer, Handler done) override {
        asio::async_write(stream_, buffer, std::move(done));
    }
    void close() override {
        std::error_code ignored;
        if constexpr (requires(Stream & s, std::error_code & ec) { s.shutdown(Stream::shutdown_both, ec); })
            stream_.shutdown(Stream::shutdown_both, ignored);
        stream_.close(ignored);
    }

  private:
    Stream stream_;
};

}  // namespace vpnsed::rpc
