#include "widgets/tunnel_details.hpp"

#include <QFormLayout>
#include <QVBoxLayout>

#include "model/presentation.hpp"

namespace vpnse_gui {

namespace {
struct Field {
    const char* key;
    const char* label;
};
constexpr Field kFields[] = {
    {"state", "State"},
    {"server", "Server"},
    {"address", "Address"},
    {"gateway", "Gateway"},
    {"routes", "Routes"},
    {"dns", "DNS"},
    {"server_version", "Server version"},
    {"tls", "TLS"},
    {"uptime", "Uptime"},
    {"connections", "Connections"},
    {"data_path", "Data path"},
    {"session", "Session"},
    {"traffic", "Traffic"},
};

// "UDP acceleration (V2), 2 fallbacks to TCP", or "TLS over TCP" with why UDP is not in use.
QString data_path_text(const vpnsed::protocol::TunnelStatus& s) {
    if (s.data_path.empty())
        return QStringLiteral("—");
    if (s.data_path == "udp")
        return QStringLiteral("UDP acceleration (V%1)%2")
            .arg(s.udp_version)
            .arg(s.udp_fallbacks ? QStringLiteral(", %1 fallbacks to TCP").arg(s.udp_fallbacks) : QString());
    return s.udp_supported
               ? QStringLiteral("TLS over TCP (UDP acceleration negotiated, not carrying data now)")
               : QStringLiteral("TLS over TCP");
}

QString joined(const std::vector<std::string>& items) {
    QStringList out;
    for (const auto& item : items)
        out << QString::fromStdString(item);
    return out.isEmpty() ? QStringLiteral("—") : out.join(QLatin1Char('\n'));
}
QString or_dash(const std::string& text) {
    return text.empty() ? QStringLiteral("—") : QString::fromStdString(text);
}
}  // namespace

TunnelDetails::TunnelDetails(QWidget* parent)
    : QWidget(parent), heading_(new QLabel(this)), graph_(new ThroughputGraph(this)) {
    auto* form = new QFormLayout;
    for (const auto& field : kFields) {
        auto* value = new QLabel(this);
        value->setObjectName(QStringLiteral("detail/%1").arg(QLatin1String(field.key)));
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        value->setWordWrap(true);
        form->addRow(QString::fromLatin1(field.label) + QLatin1Char(':'), value);
        values_[field.key] = value;
    }
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(heading_);
    layout->addLayout(form);
    layout->addWidget(graph_, 1);
    show_row(nullptr);
}

void TunnelDetails::set(const char* field, const QString& text) {
    values_.at(field)->setText(text);
}

void TunnelDetails::show_row(const ProfileRow* row) {
    if (!row) {
        heading_->setText(QStringLiteral("<i>Select a profile</i>"));
        for (auto& [key, label] : values_)
            label->setText(QStringLiteral("—"));
        graph_->set_samples({});
        return;
    }
    const auto& s = row->status;
    heading_->setText(
        QStringLiteral("<h3>%1</h3>").arg(QString::fromStdString(row->summary.name).toHtmlEscaped()));
    set("state", look_of(s.state, row->tunnel_failed()).text);
    set("server",
        QStringLiteral("%1:%2, hub %3, user %4")
            .arg(QString::fromStdString(row->summary.host))
            .arg(row->summary.port)
            .arg(QString::fromStdString(row->summary.hub), QString::fromStdString(row->summary.user)));
    set("address", s.address.empty()
                       ? QStringLiteral("—")
                       : QStringLiteral("%1/%2").arg(QString::fromStdString(s.address)).arg(s.prefix_length));
    set("gateway", or_dash(s.gateway));
    set("routes", joined(s.routes));
    set("dns", joined(s.dns));
    set("server_version", or_dash(s.server_version));
    set("tls", or_dash(s.tls));
    set("uptime",
        s.state == vpnse::TunnelState::established ? format_duration(s.uptime_s) : QStringLiteral("—"));
    set("connections", s.connections == 0
                           ? QStringLiteral("—")
                           : QStringLiteral("%1 (%2 up, %3 down)%4")
                                 .arg(s.connections)
                                 .arg(s.upload_connections)
                                 .arg(s.download_connections)
                                 .arg(s.half_connection ? QStringLiteral(", half-duplex") : QString()));
    set("data_path", data_path_text(s));
    set("session", s.session_name.empty()
                       ? QStringLiteral("—")
                       : QStringLiteral("%1%2%3").arg(
                             QString::fromStdString(s.session_name),
                             s.encrypted ? QStringLiteral(", encrypted") : QStringLiteral(", NOT encrypted"),
                             s.compressed ? QStringLiteral(", compressed") : QString()));
    set("traffic", QStringLiteral("in %1 (%2 packets), out %3 (%4 packets)")
                       .arg(format_bytes(s.bytes_in))
                       .arg(s.packets_in)
                       .arg(format_bytes(s.bytes_out))
                       .arg(s.packets_out));
    graph_->set_samples(row->throughput);
}

}  // namespace vpnse_gui
