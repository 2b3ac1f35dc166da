#include "model/daemon_model.hpp"

#include <algorithm>

#include "model/presentation.hpp"
#include "protocol/messages.hpp"
#include "protocol/methods.hpp"

namespace vpnse_gui {

using nlohmann::json;
using vpnse::ErrorCode;
using vpnse::TunnelState;
namespace protocol = vpnsed::protocol;
namespace method = vpnsed::protocol::method;

namespace {
// Reads a value the daemon sent with the shared schema; a malformed one becomes nullopt, never a throw.
template <typename T>
std::optional<T> read(const json& value) {
    try {
        return value.get<T>();
    } catch (const json::exception&) {
        return std::nullopt;
    }
}
}  // namespace

std::optional<vpnse::Error> ProfileRow::shown_error() const {
    if (action_error)
        return action_error;
    if (status.state != TunnelState::established && status.last_error)
        return status.last_error;
    return std::nullopt;
}

DaemonModel::DaemonModel(DaemonClient& client, QObject* parent) : QObject(parent), client_(client) {
    clock_.start();
    daemon_text_ = QStringLiteral("Looking for vpnsed at %1…").arg(client_.socket_path());
    connect(&client_, &DaemonClient::connected, this, &DaemonModel::on_connected);
    connect(&client_, &DaemonClient::disconnected, this, &DaemonModel::on_disconnected);
    client_.set_notification_handler(
        [this](const std::string& name, const json& params) { on_notification(name, params); });
}

const ProfileRow* DaemonModel::find(const std::string& name) const {
    const auto it =
        std::find_if(rows_.begin(), rows_.end(), [&](const auto& row) { return row.summary.name == name; });
    return it == rows_.end() ? nullptr : &*it;
}

ProfileRow* DaemonModel::find_row(const std::string& name) {
    return const_cast<ProfileRow*>(std::as_const(*this).find(name));
}

void DaemonModel::on_connected() {
    reachable_ = true;
    daemon_text_ = QStringLiteral("Connected to vpnsed");
    // A new connection starts with a clean slate: the lost contact is over, and the daemon's rules (its
    // group) may have changed while it was away.
    permission_text_.clear();
    for (auto& row : rows_)
        if (row.action_error && row.action_error->code() == ErrorCode::io_error)
            row.action_error.reset();
    Q_EMIT daemon_changed();
    client_.call(method::kVersion, json::object(), [this](auto result) {
        if (!result || !result->is_object())
            return;
        daemon_text_ = QStringLiteral("Connected to %1 %2")
                           .arg(QString::fromStdString(result->value("name", std::string("vpnsed"))),
                                QString::fromStdString(result->value("version", std::string())));
        Q_EMIT daemon_changed();
    });
    // The subscription comes first so no change between the snapshots below and the events is missed.
    client_.call(method::kEventsSubscribe, {{"topics", {"state", "stats", "log", "profiles"}}}, [](auto) {});
    refresh_profiles();
    fetch_logs();
}

void DaemonModel::on_disconnected(const QString& reason) {
    reachable_ = false;
    daemon_text_ = QStringLiteral("%1. Retrying…").arg(reason);
    for (auto& row : rows_)
        row.busy = false;
    Q_EMIT daemon_changed();
}

void DaemonModel::refresh_profiles() {
    client_.call(method::kProfilesList, json::object(), [this](auto result) {
        if (!result)
            return;
        const auto list =
            read<std::vector<protocol::ProfileSummary>>(result->value("profiles", json::array()));
        const auto errors =
            read<std::vector<protocol::ProfileLoadError>>(result->value("errors", json::array()));
        if (!list)
            return;
        std::vector<ProfileRow> rows;
        for (const auto& summary : *list) {
            ProfileRow row;
            if (const auto* old = find(summary.name))
                row = *old;
            row.summary = summary;
            row.status.name = summary.name;
            if (!find(summary.name)) {
                row.status.state = summary.state;
                row.event_state = summary.state;
            }
            rows.push_back(std::move(row));
        }
        std::sort(rows.begin(), rows.end(),
                  [](const auto& a, const auto& b) { return a.summary.name < b.summary.name; });
        rows_ = std::move(rows);
        load_errors_.clear();
        for (const auto& error : errors.value_or(std::vector<protocol::ProfileLoadError>{}))
            load_errors_ << QStringLiteral("%1: %2").arg(QString::fromStdString(error.file),
                                                         QString::fromStdString(error.message));
        Q_EMIT profiles_changed();
        refresh_status({});
    });
}

void DaemonModel::refresh_status(const std::string& name) {
    json params = json::object();
    if (!name.empty())
        params["name"] = name;
    client_.call(method::kTunnelsStatus, std::move(params), [this](auto result) {
        if (!result)
            return;
        const auto tunnels =
            read<std::vector<protocol::TunnelStatus>>(result->value("tunnels", json::array()));
        for (const auto& status : tunnels.value_or(std::vector<protocol::TunnelStatus>{}))
            apply_status(status, false);
    });
}

void DaemonModel::fetch_logs() {
    client_.call(method::kDaemonLogs, {{"lines", 500}}, [this](auto result) {
        if (!result)
            return;
        const auto lines = read<std::vector<protocol::LogLine>>(result->value("lines", json::array()));
        if (!lines)
            return;
        // Lines that arrived as events before this answer are already in the buffer's tail: keep the
        // buffer's copy (the older snapshot) and the events after it.
        std::deque<protocol::LogLine> merged(lines->begin(), lines->end());
        const std::int64_t newest = lines->empty() ? 0 : lines->back().time_ms;
        for (auto& line : log_)
            if (line.time_ms > newest)
                merged.push_back(std::move(line));
        while (merged.size() > kLogLines)
            merged.pop_front();
        log_ = std::move(merged);
        Q_EMIT log_reset();
    });
}

void DaemonModel::apply_status(const protocol::TunnelStatus& status, bool counters) {
    ProfileRow* row = find_row(status.name);
    if (!row)
        return;
    row->status = status;
    row->summary.state = status.state;
    if (counters) {
        const qint64 now = clock_.elapsed();
        const std::pair<std::uint64_t, std::uint64_t> current{status.bytes_in, status.bytes_out};
        if (row->last_counters && current.first >= row->last_counters->first &&
            current.second >= row->last_counters->second && now > row->last_counters_ms) {
            const double seconds = static_cast<double>(now - row->last_counters_ms) / 1000.0;
            row->throughput.push_back(
                {now, static_cast<double>(current.first - row->last_counters->first) / seconds,
                 static_cast<double>(current.second - row->last_counters->second) / seconds});
            while (row->throughput.size() > kThroughputSamples)
                row->throughput.pop_front();
        }
        row->last_counters = current;
        row->last_counters_ms = now;
    }
    emit_row(status.name);
}

void DaemonModel::apply_state_change(const json& params) {
    const auto name = params.value("name", std::string());
    const auto state = protocol::state_from_wire(params.value("state", std::string()));
    ProfileRow* row = find_row(name);
    if (!row || !state)
        return;
    const TunnelState before = row->event_state;
    row->event_state = *state;
    std::optional<vpnse::Error> error;
    if (const auto it = params.find("last_error"); it != params.end() && it->is_object()) {
        try {
            error = protocol::error_from_object(*it);
        } catch (const json::exception&) {
        }
    }
    row->status.state = *state;
    row->summary.state = *state;
    row->status.last_error = error;
    row->status.since = params.value("since", std::int64_t{0});
    const QString qname = QString::fromStdString(name);
    const QString why = error ? describe_error(*error) : QString();
    if (*state == TunnelState::established)
        row->action_error.reset();  // e.g. our connect timed out, and the tunnel came up later
    if (*state == TunnelState::established && before != TunnelState::established) {
        Q_EMIT notify(before == TunnelState::reconnecting ? QStringLiteral("VPN reconnected")
                                                          : QStringLiteral("VPN connected"),
                      QStringLiteral("%1 is connected").arg(qname));
        refresh_status(name);  // address, routes, DNS, server: the event carries only the state
    } else if (before == TunnelState::established && *state == TunnelState::reconnecting) {
        Q_EMIT notify(QStringLiteral("VPN connection dropped"),
                      why.isEmpty() ? QStringLiteral("%1 lost its connection; reconnecting").arg(qname)
                                    : QStringLiteral("%1: %2 Reconnecting…").arg(qname, why));
    } else if (*state == TunnelState::disconnected && error &&
               (before == TunnelState::established || before == TunnelState::reconnecting)) {
        Q_EMIT notify(QStringLiteral("VPN connection dropped"), QStringLiteral("%1: %2").arg(qname, why));
    }
    if (*state == TunnelState::disconnected) {
        row->status = protocol::TunnelStatus{};
        row->status.name = name;
        row->status.last_error = error;
        row->last_counters.reset();
        row->throughput.clear();
    }
    emit_row(name);
}

void DaemonModel::on_notification(const std::string& name, const json& params) {
    if (name == method::kEventState) {
        apply_state_change(params);
    } else if (name == method::kEventStats) {
        const auto tunnels =
            read<std::vector<protocol::TunnelStatus>>(params.value("tunnels", json::array()));
        for (const auto& status : tunnels.value_or(std::vector<protocol::TunnelStatus>{}))
            apply_status(status, true);
    } else if (name == method::kEventLog) {
        if (auto line = read<protocol::LogLine>(params))
            append_log(std::move(*line));
    } else if (name == method::kEventProfiles) {
        refresh_profiles();
    }
}

void DaemonModel::append_log(protocol::LogLine line) {
    log_.push_back(std::move(line));
    while (log_.size() > kLogLines)
        log_.pop_front();
    Q_EMIT log_appended(1);
}

void DaemonModel::note_permission(const vpnse::Error& error) {
    if (error.code() != ErrorCode::permission_denied)
        return;
    permission_text_ = QStringLiteral(
                           "You can watch the tunnels but not change them: join group %1 to connect "
                           "(then log in again).")
                           .arg(group_in_permission_message(error.message()));
    Q_EMIT daemon_changed();
}

void DaemonModel::set_switch(const std::string& name, bool on) {
    ProfileRow* row = find_row(name);
    if (!row || row->busy)
        return;
    row->busy = true;
    row->action_error.reset();
    emit_row(name);
    auto done = [this, name](vpnse::Result<json> result) {
        ProfileRow* answered = find_row(name);  // the rows may have been replaced meanwhile
        if (!answered)
            return;
        answered->busy = false;
        if (!result) {
            answered->action_error = result.error();
            note_permission(result.error());
        } else if (const auto it = result->find("tunnel"); it != result->end()) {
            if (auto status = read<protocol::TunnelStatus>(*it))
                apply_status(*status, false);
        }
        emit_row(name);
    };
    if (on)
        client_.call(method::kTunnelsConnect,
                     protocol::to_params(protocol::ConnectParams{name, true, kConnectTimeoutMs}),
                     std::move(done));
    else
        client_.call(method::kTunnelsDisconnect, {{"name", name}}, std::move(done));
}

void DaemonModel::import_profile(const QString& content, const QString& name, const QString& format,
                                 bool replace) {
    const protocol::ImportParams params{content.toStdString(), name.toStdString(), format.toStdString(),
                                        replace};
    client_.call(method::kProfilesImport, protocol::to_params(params), [this](vpnse::Result<json> result) {
        if (!result) {
            note_permission(result.error());
            Q_EMIT import_finished(false, describe_error(result.error()),
                                   static_cast<int>(result.error().code()));
            return;
        }
        QString text = QStringLiteral("Imported profile %1.")
                           .arg(QString::fromStdString(result->value("name", std::string())));
        for (const auto& note : result->value("notes", json::array()))
            if (note.is_string())
                text += QStringLiteral("\n• ") + QString::fromStdString(note.get<std::string>());
        Q_EMIT import_finished(true, text, 0);
        refresh_profiles();  // event.profiles would tell us too; this also covers older daemons
    });
}

}  // namespace vpnse_gui
