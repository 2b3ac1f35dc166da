#pragma once
// Time in the sans-I/O cores is always passed in; nothing below transport/ reads a clock.
#include <chrono>

namespace vpnse {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Duration = std::chrono::milliseconds;

}  // namespace vpnse
