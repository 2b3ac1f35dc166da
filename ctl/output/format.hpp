#pragma once
// Human-readable rendering for vpnsectl (the --json mode prints daemon results as they are).
#include <cstdint>
#include <string>

#include "protocol/messages.hpp"

namespace vpnsectl {

std::string format_bytes(std::uint64_t bytes);       // "1.2 MB" (decimal units, like ip -h)
std::string format_duration(std::uint64_t seconds);  // "3m12s", "2h05m", "4d03h"
// "office  established  192.168.30.10/24  up 3m12s  ↑1.2 MB ↓3.4 MB"
std::string status_line(const vpnsed::protocol::TunnelStatus& status);
// Multi-line detail for `vpnsectl status NAME`.
std::string status_detail(const vpnsed::protocol::TunnelStatus& status);
// A profiles.get result in the shape of its TOML file: top-level keys, then one [section] per object.
std::string profile_text(const nlohmann::json& profile);
std::string log_line(const vpnsed::protocol::LogLine& line);
// A notification as one line for `vpnsectl monitor`.
std::string event_line(const nlohmann::json& notification);

}  // namespace vpnsectl
