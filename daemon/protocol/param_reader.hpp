#pragma once
// Strict reading of a request's params object. Each problem becomes ErrorCode::invalid_argument with a
// message naming the param ("invalid params: timeout_ms: expected an unsigned integer, got a string"); the
// dispatcher turns it into JSON-RPC -32602. Unknown params are refused so a typo is not silently ignored.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "vpnse/error.hpp"

namespace vpnsed::protocol {

class ParamReader {
  public:
    explicit ParamReader(const nlohmann::json& params);

    std::optional<std::string> string(std::string_view key);
    std::optional<bool> boolean(std::string_view key);
    std::optional<std::uint64_t> unsigned_integer(std::string_view key, std::uint64_t min, std::uint64_t max);
    std::optional<std::vector<std::string>> string_array(std::string_view key);
    void require(std::string_view key);  // fails unless the key was present

    void fail(std::string_view key, std::string_view message);
    // Checks for unknown params; returns the first error, ErrorCode::ok if none.
    vpnse::Error finish();

  private:
    const nlohmann::json* find(std::string_view key);

    const nlohmann::json* params_;
    std::set<std::string, std::less<>> known_;
    vpnse::Error error_;
};

}  // namespace vpnsed::protocol
