// Profile files are written by administrators, but vpnsed parses every file in profile_dir, so a broken
// or hostile one must give an error, never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "profile/profile_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto result = vpnse::parse_profile(text, "fuzz.toml", "fuzz");
    if (!result.ok() && result.error().message().empty())
        __builtin_trap();  // every failure must say why
    return 0;
}
