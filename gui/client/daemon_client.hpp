#pragma once
// The GUI's connection to vpnsed: JSON-RPC 2.0 over the control socket (docs/ipc-jsonrpc.md), framed and
// named by daemon/protocol/ so the GUI speaks exactly the schema the daemon and vpnsectl share.
// QLocalSocket is a Unix socket on Linux/macOS and a named pipe on Windows, so this one class serves all.
// Everything is asynchronous on the caller's (UI) thread: a call returns at once and its reply runs later.
// While vpnsed is unreachable the client retries every retry interval and says why in words.
#include <QLocalSocket>
#include <QObject>
#include <QString>
#include <QTimer>
#include <chrono>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "protocol/framing.hpp"
#include "vpnse/result.hpp"

namespace vpnse_gui {

class DaemonClient : public QObject {
    Q_OBJECT
  public:
    using Reply = std::function<void(vpnse::Result<nlohmann::json>)>;
    using NotificationHandler = std::function<void(const std::string& method, const nlohmann::json& params)>;

    explicit DaemonClient(QString socket_path, QObject* parent = nullptr);
    ~DaemonClient() override;
    DaemonClient(const DaemonClient&) = delete;
    DaemonClient& operator=(const DaemonClient&) = delete;

    // Connects now, and again after each retry interval for as long as vpnsed cannot be reached.
    void start();
    void set_retry_interval(std::chrono::milliseconds interval) { retry_.setInterval(interval); }
    bool is_connected() const { return connected_; }
    const QString& socket_path() const { return socket_path_; }

    // Sends a request; `reply` runs once with the result or the error (vpnse codes, as the daemon sent
    // them; io_error when the connection is lost before the answer).
    void call(std::string_view method, nlohmann::json params, Reply reply);
    void set_notification_handler(NotificationHandler handler) { on_notification_ = std::move(handler); }

  Q_SIGNALS:
    void connected();
    // vpnsed closed the connection or could not be reached; `reason` is for people.
    void disconnected(QString reason);

  private:
    void try_connect();
    void on_connected();
    void on_ready_read();
    void on_error(QLocalSocket::LocalSocketError error);
    void handle_line(const std::string& line);
    // Closes the socket, fails every pending call and schedules the next attempt.
    void drop(const QString& reason);

    QString socket_path_;
    QLocalSocket socket_;
    QTimer retry_;
    vpnsed::protocol::LineReader reader_;
    std::map<long long, Reply> pending_;
    long long next_id_ = 1;
    bool connected_ = false;
    NotificationHandler on_notification_;
};

}  // namespace vpnse_gui
