#pragma once
// Reading a whole small file (profiles, certificates, keys) with a size limit, so a wrong path such as
// /dev/zero gives an error instead of an unbounded allocation.
#include <cstddef>
#include <filesystem>
#include <string>

#include "vpnse/result.hpp"

namespace vpnse {

// not_found if it cannot be opened, limit_exceeded above max_bytes, io_error on a read error. Messages
// do not repeat the path: the caller names the file.
Result<std::string> read_small_file(const std::filesystem::path& path, std::size_t max_bytes);

}  // namespace vpnse
