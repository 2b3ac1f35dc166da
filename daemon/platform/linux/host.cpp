#include "platform/host.hpp"

#include <unistd.h>

#include <fstream>

namespace vpnse::platform {

std::string host_name() {
    char buffer[256] = {};
    if (::gethostname(buffer, sizeof buffer - 1) != 0 || buffer[0] == '\0')
        return "vpnse";
    return buffer;
}

std::string machine_id() {
    std::string id;
    std::ifstream("/etc/machine-id") >> id;
    return id;
}

}  // namespace vpnse::platform
