#pragma once
// The byte stream from vpnsectl to vpnsed: the Unix socket (platform/posix/unix_channel.cpp) or the
// Windows named pipe (platform/windows/pipe_channel.cpp); CMake picks the file, RpcClient speaks
// JSON-RPC over either.
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "vpnse/result.hpp"

namespace vpnsectl {

class ControlChannel {
  public:
    virtual ~ControlChannel() = default;
    // Bytes read (at least 1), 0 when vpnsed closed the connection, or io_error.
    virtual vpnse::Result<std::size_t> read(std::span<char> buffer) = 0;
    virtual vpnse::Status write_all(std::string_view bytes) = 0;
};

// io_error "cannot reach vpnsed at ADDRESS: ... (is vpnsed running?)" when nobody listens.
vpnse::Result<std::unique_ptr<ControlChannel>> open_control_channel(const std::string& address);
// /run/vpnse/vpnsed.sock on POSIX systems, \\.\pipe\vpnse on Windows.
std::string default_control_address();

}  // namespace vpnsectl
