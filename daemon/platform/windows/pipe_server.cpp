#include "platform/windows/pipe_server.hpp"

#include <windows.h>

#include <sddl.h>

#include <asio/windows/overlapped_ptr.hpp>
#include <asio/windows/stream_handle.hpp>

#include "platform/windows/pipe_caller.hpp"
#include "protocol/error_mapping.hpp"
#include "protocol/jsonrpc.hpp"

namespace vpnsed::rpc {
namespace {

using vpnse::Error;
using vpnse::ErrorCode;

constexpr DWORD kBufferSize = 64 * 1024;

Error win32_error(const std::string& what, DWORD code = ::GetLastError()) {
    return Error(code == ERROR_ACCESS_DENIED || code == ERROR_PIPE_BUSY ? ErrorCode::already_exists
                                                                        : ErrorCode::io_error,
                 what + ": " + std::system_category().message(static_cast<int>(code)));
}

// The pipe's security descriptor from kPipeSddl, freed with LocalFree.
struct SecurityDescriptor {
    PSECURITY_DESCRIPTOR descriptor = nullptr;
    SecurityDescriptor() {
        ::ConvertStringSecurityDescriptorToSecurityDescriptorA(kPipeSddl, SDDL_REVISION_1, &descriptor,
                                                               nullptr);
    }
    ~SecurityDescriptor() { ::LocalFree(descriptor); }
    SecurityDescriptor(const SecurityDescriptor&) = delete;
    SecurityDescriptor& operator=(const SecurityDescriptor&) = delete;
};

}  // namespace

// One pipe instance waiting in ConnectNamedPipe.
struct PipeServer::Pending {
    explicit Pending(asio::io_context& io) : handle(io) {}
    asio::windows::stream_handle handle;
};

PipeServer::PipeServer(asio::io_context& io, Dispatcher& dispatcher, PipeServerOptions options,
                       vpnse::Logger logger)
    : io_(io),
      dispatcher_(dispatcher),
      options_(std::move(options)),
      logger_(std::move(logger)),
      clients_(dispatcher, options_.max_clients, options_.idle_timeout, logger_) {}

PipeServer::~PipeServer() {
    stop();
}

vpnse::Status PipeServer::listen() {
    if (auto status = accept_next(true); !status)
        return status;
    listening_ = true;
    logger_.info("listening", {{"pipe", options_.pipe_name}});
    return {};
}

vpnse::Status PipeServer::accept_next(bool first) {
    SecurityDescriptor security;
    if (security.descriptor == nullptr)
        return win32_error("pipe security descriptor");
    SECURITY_ATTRIBUTES attributes{sizeof(SECURITY_ATTRIBUTES), security.descriptor, FALSE};
    // The first instance claims the name: if another process already has it, refuse to start.
    const DWORD open_mode =
        PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED | (first ? FILE_FLAG_FIRST_PIPE_INSTANCE : 0);
    HANDLE pipe =
        ::CreateNamedPipeA(options_.pipe_name.c_str(), open_mode,
                           PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS,
                           PIPE_UNLIMITED_INSTANCES, kBufferSize, kBufferSize, 0, &attributes);
    if (pipe == INVALID_HANDLE_VALUE)
        return win32_error("create pipe " + options_.pipe_name);
    auto pending = std::make_shared<Pending>(io_);
    std::error_code ec;
    pending->handle.assign(pipe, ec);
    if (ec) {
        ::CloseHandle(pipe);
        return Error(ErrorCode::io_error, "pipe " + options_.pipe_name + ": " + ec.message());
    }
    pending_ = pending;

    asio::windows::overlapped_ptr overlapped(io_, [this, pending](const std::error_code& error, std::size_t) {
        if (!listening_ || pending_ != pending)
            return;
        if (error) {
            logger_.warn("pipe connect failed", {{"error", error.message()}});
        } else {
            HANDLE native = pending->handle.native_handle();
            const api::Caller caller = identify_pipe_client(native, options_.group);
            clients_.admit(
                std::make_unique<AsioControlStream<asio::windows::stream_handle>>(std::move(pending->handle)),
                caller, "pid " + std::to_string(caller.pid));
        }
        if (auto status = accept_next(false); !status)
            logger_.error("cannot accept more pipe clients", {{"error", status.error().message()}});
    });
    const BOOL ok = ::ConnectNamedPipe(pending->handle.native_handle(), overlapped.get());
    const DWORD last = ::GetLastError();
    if (!ok && last == ERROR_IO_PENDING) {
        overlapped.release();  // completes through the io_context
    } else if (!ok && last == ERROR_PIPE_CONNECTED) {
        overlapped.complete(std::error_code(), 0);  // the client came between Create and Connect
    } else if (!ok) {
        overlapped.complete(std::error_code(static_cast<int>(last), asio::error::get_system_category()), 0);
    } else {
        overlapped.complete(std::error_code(), 0);
    }
    return {};
}

void PipeServer::stop() {
    if (!listening_)
        return;
    listening_ = false;
    if (pending_) {
        std::error_code ignored;
        pending_->handle.close(ignored);
        pending_.reset();
    }
    clients_.close_all();
}

}  // namespace vpnsed::rpc
