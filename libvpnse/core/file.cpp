#include "core/file.hpp"

#include <fstream>

namespace vpnse {

Result<std::string> read_small_file(const std::filesystem::path& path, std::size_t max_bytes) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error(ErrorCode::not_found, "cannot open file");
    std::string text;
    text.resize(max_bytes + 1);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad())
        return Error(ErrorCode::io_error, "cannot read file");
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_bytes)
        return Error(ErrorCode::limit_exceeded,
                     "file is larger than " + std::to_string(max_bytes) + " bytes");
    return text;
}

}  // namespace vpnse
