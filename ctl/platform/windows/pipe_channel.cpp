#include <windows.h>

#include <system_error>

#include "client/control_channel.hpp"

namespace vpnsectl {
namespace {

using vpnse::Error;
using vpnse::ErrorCode;

std::string last_error_text() {
    return std::system_category().message(static_cast<int>(::GetLastError()));
}

class PipeChannel final : public ControlChannel {
  public:
    explicit PipeChannel(HANDLE pipe) : pipe_(pipe) {}
    ~PipeChannel() override { ::CloseHandle(pipe_); }
    PipeChannel(const PipeChannel&) = delete;
    PipeChannel& operator=(const PipeChannel&) = delete;

    vpnse::Result<std::size_t> read(std::span<char> buffer) override {
        DWORD got = 0;
        if (!::ReadFile(pipe_, buffer.data(), static_cast<DWORD>(buffer.size()), &got, nullptr)) {
            if (::GetLastError() == ERROR_BROKEN_PIPE)
                return std::size_t{0};  // the server closed its end
            return Error(ErrorCode::io_error, "reading from vpnsed: " + last_error_text());
        }
        return static_cast<std::size_t>(got);
    }

    vpnse::Status write_all(std::string_view bytes) override {
        std::size_t sent = 0;
        while (sent < bytes.size()) {
            DWORD n = 0;
            if (!::WriteFile(pipe_, bytes.data() + sent, static_cast<DWORD>(bytes.size() - sent), &n,
                             nullptr))
                return Error(ErrorCode::io_error, "writing to vpnsed: " + last_error_text());
            sent += n;
        }
        return {};
    }

  private:
    HANDLE pipe_;
};

}  // namespace

vpnse::Result<std::unique_ptr<ControlChannel>> open_control_channel(const std::string& pipe_name) {
    // All instances busy: wait a little for one, as a client of a busy service should.
    for (int attempt = 0; attempt < 2; ++attempt) {
        HANDLE pipe = ::CreateFileA(pipe_name.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr,
                                    OPEN_EXISTING, SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION, nullptr);
        if (pipe != INVALID_HANDLE_VALUE)
            return std::unique_ptr<ControlChannel>(std::make_unique<PipeChannel>(pipe));
        const DWORD error = ::GetLastError();
        if (error == ERROR_PIPE_BUSY && attempt == 0 && ::WaitNamedPipeA(pipe_name.c_str(), 5000))
            continue;
        const std::string hint = error == ERROR_FILE_NOT_FOUND ? " (is vpnsed running?)" : "";
        return Error(ErrorCode::io_error, "cannot reach vpnsed at " + pipe_name + ": " +
                                              std::system_category().message(static_cast<int>(error)) + hint);
    }
    return Error(ErrorCode::io_error,
                 "cannot reach vpnsed at " + pipe_name + ": all pipe instances are busy");
}

std::string default_control_address() {
    return R"(\\.\pipe\vpnse)";
}

}  // namespace vpnsectl
