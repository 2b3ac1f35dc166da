#include "client/daemon_client.hpp"

#include "protocol/error_mapping.hpp"
#include "protocol/jsonrpc.hpp"

namespace vpnse_gui {

using nlohmann::json;
using vpnse::Error;
using vpnse::ErrorCode;

DaemonClient::DaemonClient(QString socket_path, QObject* parent)
    : QObject(parent), socket_path_(std::move(socket_path)) {
    retry_.setSingleShot(true);
    retry_.setInterval(std::chrono::seconds(2));
    connect(&retry_, &QTimer::timeout, this, &DaemonClient::try_connect);
    connect(&socket_, &QLocalSocket::connected, this, &DaemonClient::on_connected);
    connect(&socket_, &QLocalSocket::readyRead, this, &DaemonClient::on_ready_read);
    connect(&socket_, &QLocalSocket::errorOccurred, this, &DaemonClient::on_error);
    connect(&socket_, &QLocalSocket::disconnected, this,
            [this] { drop(QStringLiteral("vpnsed closed the connection")); });
}

DaemonClient::~DaemonClient() {
    // Closing the socket below must not run drop() on a half-destroyed client or call pending replies
    // whose owners may be gone already.
    QObject::disconnect(&socket_, nullptr, this, nullptr);
    socket_.abort();
}

void DaemonClient::start() {
    if (socket_.state() == QLocalSocket::UnconnectedState)
        try_connect();
}

void DaemonClient::try_connect() {
    reader_ = vpnsed::protocol::LineReader();
    socket_.connectToServer(socket_path_);
}

void DaemonClient::on_connected() {
    connected_ = true;
    Q_EMIT connected();
}

void DaemonClient::on_error(QLocalSocket::LocalSocketError error) {
    switch (error) {
        case QLocalSocket::ServerNotFoundError:
            return drop(QStringLiteral("vpnsed is not running (no socket at %1)").arg(socket_path_));
        case QLocalSocket::ConnectionRefusedError:
            return drop(QStringLiteral("vpnsed is not running (%1 refuses connections)").arg(socket_path_));
        case QLocalSocket::SocketAccessError:
            return drop(QStringLiteral("no permission to open %1").arg(socket_path_));
        case QLocalSocket::PeerClosedError:
            return drop(QStringLiteral("vpnsed closed the connection"));
        default:
            return drop(
                QStringLiteral("cannot reach vpnsed at %1: %2").arg(socket_path_, socket_.errorString()));
    }
}

void DaemonClient::drop(const QString& reason) {
    if (!connected_ && retry_.isActive())
        return;  // the same loss reported again (error, then disconnected)
    connected_ = false;
    retry_.start();
    socket_.abort();
    // Replies may start new calls; those fail at once (not connected) instead of joining this list.
    auto failed = std::move(pending_);
    pending_.clear();
    for (auto& [id, reply] : failed)
        reply(Error(ErrorCode::io_error, reason.toStdString()));
    Q_EMIT disconnected(reason);
}

void DaemonClient::call(std::string_view method, json params, Reply reply) {
    if (!connected_) {
        reply(Error(ErrorCode::io_error, "not connected to vpnsed"));
        return;
    }
    const long long id = next_id_++;
    const std::string line =
        vpnsed::protocol::to_line(vpnsed::protocol::make_request(id, method, std::move(params)));
    pending_.emplace(id, std::move(reply));
    socket_.write(line.data(), static_cast<qint64>(line.size()));
}

void DaemonClient::on_ready_read() {
    while (socket_.bytesAvailable() > 0) {
        const QByteArray bytes = socket_.read(64 * 1024);
        if (bytes.isEmpty())
            break;
        reader_.feed(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
        while (auto line = reader_.next_line()) {
            handle_line(*line);
            if (!connected_)
                return;  // a handler dropped the connection
        }
        if (reader_.overflowed())
            return drop(QStringLiteral("vpnsed sent a line over 1 MiB"));
    }
}

void DaemonClient::handle_line(const std::string& line) {
    const json message = json::parse(line, nullptr, false);
    if (message.is_discarded() || !message.is_object())
        return drop(QStringLiteral("vpnsed sent a malformed line"));
    const auto id = message.find("id");
    if (id == message.end()) {
        const auto method = message.find("method");
        if (method == message.end() || !method->is_string())
            return;  // neither an answer nor a notification: nothing to do with it
        if (on_notification_)
            on_notification_(method->get<std::string>(), message.value("params", json::object()));
        return;
    }
    if (!id->is_number_integer())
        return;  // an error about a line we could not have sent (id null)
    const auto found = pending_.find(id->get<long long>());
    if (found == pending_.end())
        return;
    Reply reply = std::move(found->second);
    pending_.erase(found);
    if (const auto error = message.find("error"); error != message.end())
        return reply(vpnsed::protocol::error_from_rpc(vpnsed::protocol::error_from_json(*error)));
    reply(message.value("result", json()));
}

}  // namespace vpnse_gui
