// Account files (.vpn) come from users, mail attachments and other machines: any bytes must give a
// profile or an error that says why, never a crash, a hang or an unbounded allocation.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "import/vpn_account.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto result = vpnse::import::import_vpn_account(text, "fuzz.vpn", "");
    if (!result.ok() && result.error().message().empty())
        __builtin_trap();  // every failure must say why
    return 0;
}
