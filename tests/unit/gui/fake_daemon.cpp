#include "unit/gui/fake_daemon.hpp"

#include <algorithm>

#include "protocol/error_mapping.hpp"
#include "protocol/messages.hpp"
#include "protocol/methods.hpp"

namespace vpnse_gui::test {

using nlohmann::json;
namespace protocol = vpnsed::protocol;
namespace method = vpnsed::protocol::method;

namespace {
// The daemon's strict parser for each method's params; an error here is the -32602 vpnsed would send.
vpnse::Status check_params(const std::string& name, const json& params) {
    auto status_of = [](const auto& result) -> vpnse::Status {
        if (!result)
            return result.error();
        return {};
    };
    if (name == method::kTunnelsConnect)
        return status_of(protocol::parse_connect_params(params));
    if (name == method::kTunnelsDisconnect)
        return status_of(protocol::parse_disconnect_params(params));
    if (name == method::kTunnelsStatus)
        return status_of(protocol::parse_name_params(params, false));
    if (name == method::kEventsSubscribe)
        return status_of(protocol::parse_subscribe_params(params));
    if (name == method::kDaemonLogs)
        return status_of(protocol::parse_logs_params(params));
    if (name == method::kProfilesImport)
        return status_of(protocol::parse_import_params(params));
    return protocol::parse_no_params(params);
}
}  // namespace

protocol::RpcError permission_error(const std::string& name) {
    return protocol::rpc_error_from(vpnse::Error(
        vpnse::ErrorCode::permission_denied,
        "permission denied: " + name +
            " requires root or membership in group vpnse, or polkit authorization for org.vpnse.connect"));
}

FakeDaemon::FakeDaemon() {
    QObject::connect(&server_, &QLocalServer::newConnection, [this] {
        while (QLocalSocket* socket = server_.nextPendingConnection()) {
            auto peer = std::make_unique<Peer>(Peer{socket, protocol::LineReader()});
            Peer* raw = peer.get();
            clients_.push_back(std::move(peer));
            QObject::connect(socket, &QLocalSocket::readyRead, socket, [this, raw] {
                const QByteArray bytes = raw->socket->readAll();
                raw->reader.feed(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
                while (auto line = raw->reader.next_line())
                    serve(*raw, *line);
            });
        }
    });
}

FakeDaemon::~FakeDaemon() {
    stop();
}

QString FakeDaemon::socket_path() const {
    return dir_.filePath(QStringLiteral("vpnsed.sock"));
}

bool FakeDaemon::listen() {
    return server_.listen(socket_path());
}

void FakeDaemon::close_clients() {
    for (auto& peer : clients_) {
        QObject::disconnect(peer->socket, nullptr, nullptr, nullptr);
        peer->socket->abort();
        peer->socket->deleteLater();
    }
    clients_.clear();
}

void FakeDaemon::stop() {
    close_clients();
    server_.close();
}

std::size_t FakeDaemon::count(const std::string& name) const {
    return static_cast<std::size_t>(
        std::count_if(received_.begin(), received_.end(), [&](const auto& r) { return r.method == name; }));
}

void FakeDaemon::send(const json& message) {
    const std::string line = protocol::to_line(message);
    for (auto& peer : clients_)
        peer->socket->write(line.data(), static_cast<qint64>(line.size()));
}

void FakeDaemon::send_raw(const std::string& line) {
    for (auto& peer : clients_)
        peer->socket->write(line.data(), static_cast<qint64>(line.size()));
}

void FakeDaemon::notify(std::string_view name, const json& params) {
    send(protocol::make_notification(name, params));
}

void FakeDaemon::respond(const json& id, const Answer& answer) {
    send(answer.error ? protocol::make_error(id, *answer.error) : protocol::make_result(id, answer.result));
}

void FakeDaemon::serve(Peer&, const std::string& line) {
    const auto parsed = protocol::parse_request(json::parse(line, nullptr, false));
    if (const auto* invalid = std::get_if<protocol::InvalidRequest>(&parsed)) {
        send(protocol::make_error(invalid->id, invalid->error));
        return;
    }
    const auto& request = std::get<protocol::Request>(parsed);
    received_.push_back({request.method, request.params});
    if (auto status = check_params(request.method, request.params); !status) {
        send(protocol::make_error(request.id,
                                  protocol::protocol_error(protocol::kInvalidParams,
                                                           "invalid params: " + status.error().message())));
        return;
    }
    const auto handler = handlers_.find(request.method);
    Answer answer;
    if (handler != handlers_.end())
        answer = handler->second(request.params, request.id);
    else if (request.method == method::kEventsSubscribe)
        answer.result = {{"topics", request.params.value("topics", json::array())}};
    else
        answer.error =
            protocol::protocol_error(protocol::kMethodNotFound, "method not found: " + request.method);
    if (!answer.defer && !request.is_notification)
        respond(request.id, answer);
}

}  // namespace vpnse_gui::test
