#pragma once
// A scripted vpnsed for the GUI's unit tests: a QLocalServer speaking the real framing and schema
// (daemon/protocol/). Each request is validated by the daemon's own param parsers, so a request the GUI
// shapes wrongly fails here as it would against vpnsed; the test scripts the answers and pushes events.
#include <QLocalServer>
#include <QLocalSocket>
#include <QObject>
#include <QTemporaryDir>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "protocol/framing.hpp"
#include "protocol/jsonrpc.hpp"

namespace vpnse_gui::test {

class FakeDaemon {
  public:
    struct Received {
        std::string method;
        nlohmann::json params;
    };
    // An answer: a result, or an error (code, message and data as vpnsed sends them). A handler may also
    // return a deferred answer: set `defer` and answer later with respond().
    struct Answer {
        nlohmann::json result;
        std::optional<vpnsed::protocol::RpcError> error;
        bool defer = false;
    };
    using Handler = std::function<Answer(const nlohmann::json& params, const nlohmann::json& id)>;

    FakeDaemon();
    ~FakeDaemon();
    FakeDaemon(const FakeDaemon&) = delete;
    FakeDaemon& operator=(const FakeDaemon&) = delete;

    QString socket_path() const;
    bool listen();
    void stop();           // closes every client and the listening socket
    void close_clients();  // as when vpnsed restarts: the clients see the connection end
    void on(const std::string& method, Handler handler) { handlers_[method] = std::move(handler); }
    void notify(std::string_view method, const nlohmann::json& params);
    void respond(const nlohmann::json& id, const Answer& answer);
    void send_raw(const std::string& line);
    const std::vector<Received>& received() const { return received_; }
    std::size_t count(const std::string& method) const;
    std::size_t client_count() const { return clients_.size(); }

  private:
    struct Peer {
        QLocalSocket* socket;
        vpnsed::protocol::LineReader reader;
    };
    void serve(Peer& peer, const std::string& line);
    void send(const nlohmann::json& message);

    QTemporaryDir dir_;
    QLocalServer server_;
    std::vector<std::unique_ptr<Peer>> clients_;
    std::map<std::string, Handler> handlers_;
    std::vector<Received> received_;
};

// The daemon's error for a refused mutating call, as api/ words it.
vpnsed::protocol::RpcError permission_error(const std::string& method);

}  // namespace vpnse_gui::test
