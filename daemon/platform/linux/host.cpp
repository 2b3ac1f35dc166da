#include "platform/host.hpp"

#include <unistd.h>

namespace vpnse::platform {

std::string host_name() {
    char buffer[256] = {};
    if (::gethostname(buffer, sizeof buffer - 1) != 0 || buffer[0] == '\0')
        return "vpnse";
    return buffer;
}

}  // namespace vpnse::platform
