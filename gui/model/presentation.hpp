#pragma once
// How the GUI says things: a tunnel state as colour and text, an error in words (permission errors with
// what to do about them), byte counts, rates and durations.
#include <QColor>
#include <QString>
#include <cstdint>
#include <optional>

#include "vpnse/error.hpp"
#include "vpnse/tunnel_state.hpp"

namespace vpnse_gui {

struct StateLook {
    QString text;   // "Connected", "Connecting…", "Failed", …
    QColor colour;  // green established, amber on the way, red failed, grey off
};
// `failed`: disconnected because of an error (the last connect gave up), shown red.
StateLook look_of(vpnse::TunnelState state, bool failed);

// The sentence a person reads for an error. permission_denied names the group to join (taken from the
// daemon's message, "vpnse" when it names none).
QString describe_error(const vpnse::Error& error);
// The service group a permission_denied message names ("... membership in group vpnse ..."), else "vpnse".
QString group_in_permission_message(const std::string& message);

QString format_bytes(std::uint64_t bytes);       // "1.2 MB"
QString format_rate(double bytes_per_second);    // "340 kB/s"
QString format_duration(std::uint64_t seconds);  // "1 h 02 min", "3 min 12 s"

}  // namespace vpnse_gui
