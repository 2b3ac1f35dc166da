#include "model/presentation.hpp"

#include <QRegularExpression>
#include <array>

namespace vpnse_gui {

using vpnse::ErrorCode;
using vpnse::TunnelState;

StateLook look_of(TunnelState state, bool failed) {
    const QColor green(0x2e, 0x9e, 0x44), amber(0xd9, 0x8c, 0x0b), red(0xc6, 0x28, 0x28),
        grey(0x80, 0x80, 0x80);
    switch (state) {
        case TunnelState::established:
            return {QStringLiteral("Connected"), green};
        case TunnelState::connecting:
            return {QStringLiteral("Connecting…"), amber};
        case TunnelState::authenticating:
            return {QStringLiteral("Authenticating…"), amber};
        case TunnelState::configuring:
            return {QStringLiteral("Configuring…"), amber};
        case TunnelState::reconnecting:
            return {QStringLiteral("Reconnecting…"), amber};
        case TunnelState::disconnected:
            break;
    }
    if (failed)
        return {QStringLiteral("Failed"), red};
    return {QStringLiteral("Disconnected"), grey};
}

QString group_in_permission_message(const std::string& message) {
    static const QRegularExpression group(QStringLiteral("group ([A-Za-z0-9_.-]+)"));
    const auto match = group.match(QString::fromStdString(message));
    return match.hasMatch() ? match.captured(1) : QStringLiteral("vpnse");
}

QString describe_error(const vpnse::Error& error) {
    const QString message = QString::fromStdString(error.message());
    switch (error.code()) {
        case ErrorCode::permission_denied:
            return QStringLiteral("Permission denied: join group %1 to connect (then log in again).")
                .arg(group_in_permission_message(error.message()));
        case ErrorCode::timeout:
            return QStringLiteral("Still not connected: %1").arg(message);
        case ErrorCode::io_error:
            return QStringLiteral("Lost contact with vpnsed: %1").arg(message);
        default:
            break;
    }
    if (message.isEmpty())
        return QString::fromUtf8(vpnse::error_code_description(error.code()).data(),
                                 static_cast<qsizetype>(vpnse::error_code_description(error.code()).size()));
    QString sentence = message;
    sentence[0] = sentence[0].toUpper();
    return sentence;
}

namespace {
QString scaled(double value, const std::array<const char*, 5>& units) {
    std::size_t unit = 0;
    while (value >= 1000.0 && unit + 1 < units.size()) {
        value /= 1000.0;
        ++unit;
    }
    const int decimals = unit == 0 || value >= 100.0 ? 0 : 1;
    return QStringLiteral("%1 %2").arg(value, 0, 'f', decimals).arg(QLatin1String(units[unit]));
}
}  // namespace

QString format_bytes(std::uint64_t bytes) {
    return scaled(static_cast<double>(bytes), {"B", "kB", "MB", "GB", "TB"});
}

QString format_rate(double bytes_per_second) {
    return scaled(bytes_per_second < 0 ? 0 : bytes_per_second, {"B/s", "kB/s", "MB/s", "GB/s", "TB/s"});
}

QString format_duration(std::uint64_t seconds) {
    const auto hours = seconds / 3600, minutes = seconds / 60 % 60, rest = seconds % 60;
    if (hours > 0)
        return QStringLiteral("%1 h %2 min").arg(hours).arg(minutes, 2, 10, QLatin1Char('0'));
    if (minutes > 0)
        return QStringLiteral("%1 min %2 s").arg(minutes).arg(rest);
    return QStringLiteral("%1 s").arg(rest);
}

}  // namespace vpnse_gui
