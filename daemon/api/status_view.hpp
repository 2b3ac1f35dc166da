#pragma once
// Service reports -> protocol structs: the one place that decides what a client sees of a tunnel.
#include "protocol/schema.hpp"
#include "service/log_buffer.hpp"
#include "service/tunnel_manager.hpp"

namespace vpnsed::api {

protocol::TunnelStatus to_status(const service::TunnelReport& report);
protocol::ProfileSummary to_summary(const service::TunnelReport& report);
protocol::LogLine to_log_line(const service::LogEntry& entry);

}  // namespace vpnsed::api
