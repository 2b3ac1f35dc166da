#pragma once
// The view model of vpnse-gui: what the windows and the tray show, kept current from vpnsed through one
// DaemonClient (events.subscribe for state, stats, log and profile changes), and the user's actions
// (connect, disconnect, import) as asynchronous calls. Holds no widgets, so tests drive it against a
// scripted fake daemon.
#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QStringList>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "client/daemon_client.hpp"
#include "protocol/schema.hpp"

namespace vpnse_gui {

// One point of the throughput graph: bytes per second over the interval ending at `time_ms`.
struct ThroughputSample {
    qint64 time_ms = 0;  // the model's monotonic clock
    double in_per_s = 0;
    double out_per_s = 0;
};

struct ProfileRow {
    vpnsed::protocol::ProfileSummary summary;
    vpnsed::protocol::TunnelStatus status;  // the latest tunnels.status / event.stats / event.state
    // The state the last event.state said: transitions (and their notifications) are judged from it, so a
    // stats tick or a reply that shows the new state first cannot swallow a notification.
    vpnse::TunnelState event_state = vpnse::TunnelState::disconnected;
    bool busy = false;                         // our connect or disconnect is in flight
    std::optional<vpnse::Error> action_error;  // the last failure of our own call for this profile
    std::deque<ThroughputSample> throughput;   // oldest first, at most kThroughputSamples
    std::optional<std::pair<std::uint64_t, std::uint64_t>> last_counters;  // bytes in/out of the last stats
    qint64 last_counters_ms = 0;

    bool switched_on() const { return status.state != vpnse::TunnelState::disconnected; }
    // The tunnel itself gave up with an error (shown red), as opposed to a refused call of ours.
    bool tunnel_failed() const {
        return status.state == vpnse::TunnelState::disconnected && status.last_error.has_value();
    }
    // The error to show: our own call's failure, else the tunnel's last failure while it is not up.
    std::optional<vpnse::Error> shown_error() const;
};

class DaemonModel : public QObject {
    Q_OBJECT
  public:
    static constexpr std::size_t kThroughputSamples = 120;
    static constexpr std::size_t kLogLines = 2000;
    static constexpr std::uint32_t kConnectTimeoutMs = 60'000;

    explicit DaemonModel(DaemonClient& client, QObject* parent = nullptr);
    void start() { client_.start(); }

    bool daemon_reachable() const { return reachable_; }
    // "vpnsed 0.1.0", or why it cannot be reached and that we keep trying.
    QString daemon_text() const { return daemon_text_; }
    // Set once a mutating call was refused: the sentence saying what to do; switches are then disabled.
    QString permission_text() const { return permission_text_; }
    bool may_change() const { return reachable_ && permission_text_.isEmpty(); }

    const std::vector<ProfileRow>& profiles() const { return rows_; }  // sorted by name
    const ProfileRow* find(const std::string& name) const;
    QStringList load_errors() const { return load_errors_; }
    const std::deque<vpnsed::protocol::LogLine>& log() const { return log_; }

    // The switch of a profile: connect (waiting up to kConnectTimeoutMs for the outcome) or disconnect.
    void set_switch(const std::string& name, bool on);
    // profiles.import; `name` may be empty for a .vpn file, `format` "toml", "vpn" or empty.
    void import_profile(const QString& content, const QString& name, const QString& format, bool replace);

  Q_SIGNALS:
    void daemon_changed();                      // reachability, version, permission text
    void profiles_changed();                    // rows added or removed (and load errors)
    void profile_changed(const QString& name);  // one row's state, details, counters or error
    void log_appended(int count);               // `count` lines were added at the end of log()
    void log_reset();                           // log() was replaced (after a reconnect to vpnsed)
    // A desktop notification: connected, dropped, reconnected.
    void notify(const QString& title, const QString& body);
    // The outcome of import_profile: ok with the profile's name and notes, or the error (code kept so the
    // window can offer to replace an existing profile).
    void import_finished(bool ok, const QString& text, int error_code);

  private:
    void on_connected();
    void on_disconnected(const QString& reason);
    void on_notification(const std::string& method, const nlohmann::json& params);
    void refresh_profiles();
    void refresh_status(const std::string& name);  // empty: every profile
    void fetch_logs();
    void apply_status(const vpnsed::protocol::TunnelStatus& status, bool counters);
    void apply_state_change(const nlohmann::json& params);
    void append_log(vpnsed::protocol::LogLine line);
    void note_permission(const vpnse::Error& error);
    ProfileRow* find_row(const std::string& name);
    void emit_row(const std::string& name) { Q_EMIT profile_changed(QString::fromStdString(name)); }

    DaemonClient& client_;
    QElapsedTimer clock_;
    bool reachable_ = false;
    QString daemon_text_;
    QString permission_text_;
    std::vector<ProfileRow> rows_;
    QStringList load_errors_;
    std::deque<vpnsed::protocol::LogLine> log_;
};

}  // namespace vpnse_gui
