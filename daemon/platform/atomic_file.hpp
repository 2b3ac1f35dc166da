#pragma once
// Replacing a file so that readers see the old or the new content, never a part: the text goes to
// "<path>.tmp" (mode `mode`, fsynced), which is then renamed over `path`. Used for the crash journal and
// imported profiles.
#include <filesystem>
#include <string_view>

#include "vpnse/result.hpp"

namespace vpnse::platform {

Status write_file_atomically(const std::filesystem::path& path, std::string_view text, unsigned mode = 0600);

}  // namespace vpnse::platform
