// The GUI's view model against a scripted fake vpnsed (fake_daemon.hpp): what the window and the tray
// would show for each thing the daemon says, and what the model sends for each user action.
#include <QSignalSpy>
#include <QTest>

#include "client/daemon_client.hpp"
#include "model/daemon_model.hpp"
#include "model/presentation.hpp"
#include "protocol/error_mapping.hpp"
#include "protocol/messages.hpp"
#include "protocol/methods.hpp"
#include "unit/gui/fake_daemon.hpp"

using nlohmann::json;
using vpnse::ErrorCode;
using vpnse::TunnelState;
using vpnse_gui::DaemonClient;
using vpnse_gui::DaemonModel;
using vpnse_gui::test::FakeDaemon;
namespace protocol = vpnsed::protocol;
namespace method = vpnsed::protocol::method;

namespace {

protocol::TunnelStatus established_office() {
    protocol::TunnelStatus status;
    status.name = "office";
    status.state = TunnelState::established;
    status.server = "vpn.example.com:443";
    status.server_version = "SoftEther VPN Server (64 bit) 5.1 build 9760";
    status.tls = "TLSv1.2 TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384";
    status.address = "192.168.30.10";
    status.prefix_length = 24;
    status.gateway = "192.168.30.1";
    status.routes = {"10.20.0.0/16 via 192.168.30.1"};
    status.dns = {"192.168.30.1"};
    status.connections = 2;
    status.uptime_s = 192;
    return status;
}

json state_event(const std::string& name, std::string_view state, std::optional<vpnse::Error> error = {}) {
    return {{"name", name},
            {"state", state},
            {"last_error", error ? protocol::error_object(*error) : json(nullptr)},
            {"since", 1700000000}};
}

// A daemon with two profiles: office (established) and home (disconnected).
void script_profiles(FakeDaemon& daemon) {
    daemon.on(std::string(method::kVersion), [](const json&, const json&) {
        return FakeDaemon::Answer{{{"name", "vpnsed"}, {"version", "0.1.0"}, {"protocol", 1}}, {}, false};
    });
    daemon.on(std::string(method::kProfilesList), [](const json&, const json&) {
        protocol::ProfileSummary office{"office", "vpn.example.com",       443, "ACME", "bob",
                                        false,    TunnelState::established};
        protocol::ProfileSummary home{"home", "home.example.org",       443, "HOME", "bob",
                                      false,  TunnelState::disconnected};
        json errors = json::array({json{{"file", "broken.toml"}, {"message", "server.host: is required"}}});
        return FakeDaemon::Answer{{{"profiles", {json(office), json(home)}}, {"errors", errors}}, {}, false};
    });
    daemon.on(std::string(method::kTunnelsStatus), [](const json& params, const json&) {
        protocol::TunnelStatus home;
        home.name = "home";
        json tunnels = json::array();
        if (params.value("name", std::string("office")) == "office")
            tunnels.push_back(established_office());
        if (!params.contains("name"))
            tunnels.push_back(home);
        return FakeDaemon::Answer{{{"tunnels", tunnels}}, {}, false};
    });
    daemon.on(std::string(method::kDaemonLogs), [](const json&, const json&) {
        protocol::LogLine first{1000, vpnse::LogLevel::info, "vpnsed", "started", {}};
        protocol::LogLine second{
            2000, vpnse::LogLevel::warn, "vpnsed.tunnel", "server slow", {{"profile", "office"}}};
        return FakeDaemon::Answer{{{"lines", {json(first), json(second)}}}, {}, false};
    });
}

}  // namespace

class DaemonModelTest : public QObject {
    Q_OBJECT
  private:
    // A model whose client retries quickly, started against `daemon`, waited until it shows both profiles.
    struct Running {
        DaemonClient client;
        DaemonModel model;
        explicit Running(const QString& path) : client(path), model(client) {
            client.set_retry_interval(std::chrono::milliseconds(50));
            model.start();
        }
    };
    static bool shows_profiles(const DaemonModel& model) {
        const auto* office = model.find("office");
        return model.profiles().size() == 2 && office && !office->status.address.empty();
    }

  private Q_SLOTS:
    void shows_profiles_states_and_details() {
        FakeDaemon daemon;
        script_profiles(daemon);
        QVERIFY(daemon.listen());
        Running app(daemon.socket_path());
        QTRY_VERIFY(shows_profiles(app.model));
        QTRY_VERIFY(app.model.daemon_text().contains(QStringLiteral("vpnsed 0.1.0")));
        QCOMPARE(app.model.profiles()[0].summary.name, std::string("home"));  // sorted by name
        const auto* office = app.model.find("office");
        QCOMPARE(office->status.gateway, std::string("192.168.30.1"));
        const auto look = vpnse_gui::look_of(office->status.state, false);
        QCOMPARE(look.text, QStringLiteral("Connected"));
        QCOMPARE(look.colour, QColor(0x2e, 0x9e, 0x44));
        QCOMPARE(vpnse_gui::look_of(TunnelState::disconnected, false).text, QStringLiteral("Disconnected"));
        QCOMPARE(app.model.load_errors(),
                 QStringList{QStringLiteral("broken.toml: server.host: is required")});
        QVERIFY(app.model.may_change());
        // The subscription asks for every topic the window shows.
        QCOMPARE(daemon.count(std::string(method::kEventsSubscribe)), std::size_t{1});
        const auto& subscribe =
            *std::find_if(daemon.received().begin(), daemon.received().end(),
                          [](const auto& r) { return r.method == method::kEventsSubscribe; });
        QVERIFY(subscribe.params["topics"] == json({"state", "stats", "log", "profiles"}));
    }

    void daemon_not_running_is_said_and_retried() {
        FakeDaemon daemon;  // not listening yet
        script_profiles(daemon);
        Running app(daemon.socket_path());
        QTRY_VERIFY(app.model.daemon_text().contains(QStringLiteral("vpnsed is not running")));
        QVERIFY(app.model.daemon_text().contains(daemon.socket_path()));
        QVERIFY(!app.model.daemon_reachable());
        QVERIFY(!app.model.may_change());
        QVERIFY(daemon.listen());
        QTRY_VERIFY(app.model.daemon_reachable());
        QTRY_VERIFY(shows_profiles(app.model));
    }

    void daemon_restart_fails_pending_calls_and_reconnects() {
        FakeDaemon daemon;
        script_profiles(daemon);
        json held_id;
        daemon.on(std::string(method::kTunnelsConnect), [&](const json&, const json& id) {
            held_id = id;
            return FakeDaemon::Answer{{}, {}, true};  // never answered: vpnsed goes away first
        });
        QVERIFY(daemon.listen());
        Running app(daemon.socket_path());
        QTRY_VERIFY(shows_profiles(app.model));
        app.model.set_switch("home", true);
        QTRY_VERIFY(!held_id.is_null());
        QVERIFY(app.model.find("home")->busy);
        daemon.stop();  // vpnsed goes away with our connect in flight
        QTRY_VERIFY(!app.model.daemon_reachable());
        QVERIFY(app.model.daemon_text().contains(QStringLiteral("Retrying")));
        const auto* home = app.model.find("home");
        QVERIFY(!home->busy);
        QVERIFY(home->action_error);
        QCOMPARE(home->action_error->code(), ErrorCode::io_error);
        QVERIFY(!app.model.may_change());
        QVERIFY(daemon.listen());  // and comes back
        QTRY_VERIFY(app.model.daemon_reachable());
        QTRY_COMPARE(daemon.count(std::string(method::kProfilesList)), std::size_t{2});
        QVERIFY(!app.model.find("home")->action_error);  // the lost contact is over
    }

    void permission_denied_says_join_the_group() {
        FakeDaemon daemon;
        script_profiles(daemon);
        daemon.on(std::string(method::kTunnelsConnect), [](const json&, const json&) {
            return FakeDaemon::Answer{{}, vpnse_gui::test::permission_error("tunnels.connect"), false};
        });
        QVERIFY(daemon.listen());
        Running app(daemon.socket_path());
        QTRY_VERIFY(shows_profiles(app.model));
        QSignalSpy changed(&app.model, &DaemonModel::daemon_changed);
        app.model.set_switch("home", true);
        QTRY_VERIFY(app.model.find("home")->action_error.has_value());
        const auto error = *app.model.find("home")->shown_error();
        QCOMPARE(error.code(), ErrorCode::permission_denied);
        QVERIFY(vpnse_gui::describe_error(error).contains(QStringLiteral("join group vpnse to connect")));
        QVERIFY(app.model.permission_text().contains(QStringLiteral("join group vpnse to connect")));
        QVERIFY(!app.model.may_change());
        QVERIFY(changed.count() >= 1);
        // The request itself passed the daemon's own param parser (a malformed one would be -32602).
        const auto& sent = daemon.received().back();
        QCOMPARE(sent.method, std::string(method::kTunnelsConnect));
        QVERIFY(sent.params["name"] == json("home"));
        QVERIFY(sent.params["wait"] == json(true));
    }

    void group_name_comes_from_the_daemon() {
        const vpnse::Error error(
            ErrorCode::permission_denied,
            "permission denied: tunnels.connect requires root or membership in group vpn-users");
        QVERIFY(vpnse_gui::describe_error(error).contains(QStringLiteral("join group vpn-users to connect")));
        QCOMPARE(vpnse_gui::group_in_permission_message("permission denied"), QStringLiteral("vpnse"));
    }

    void connect_events_notify_connect_drop_and_reconnect() {
        FakeDaemon daemon;
        script_profiles(daemon);
        daemon.on(std::string(method::kTunnelsConnect), [&](const json& params, const json& id) {
            // As vpnsed: state events while connecting, then the answer with the tunnel.
            daemon.notify(method::kEventState, state_event("home", "connecting"));
            daemon.notify(method::kEventState, state_event("home", "established"));
            auto status = established_office();
            status.name = params["name"].get<std::string>();
            daemon.respond(id, FakeDaemon::Answer{{{"tunnel", status}}, {}, false});
            return FakeDaemon::Answer{{}, {}, true};
        });
        QVERIFY(daemon.listen());
        Running app(daemon.socket_path());
        QTRY_VERIFY(shows_profiles(app.model));
        QSignalSpy notes(&app.model, &DaemonModel::notify);
        app.model.set_switch("home", true);
        QTRY_COMPARE(app.model.find("home")->status.state, TunnelState::established);
        QTRY_VERIFY(!app.model.find("home")->busy);
        QCOMPARE(app.model.find("home")->status.address, std::string("192.168.30.10"));
        QTRY_COMPARE(notes.count(), 1);
        QCOMPARE(notes[0][0].toString(), QStringLiteral("VPN connected"));

        const vpnse::Error lost(ErrorCode::disconnected, "the server closed the connection");
        daemon.notify(method::kEventState, state_event("home", "reconnecting", lost));
        QTRY_COMPARE(notes.count(), 2);
        QCOMPARE(notes[1][0].toString(), QStringLiteral("VPN connection dropped"));
        QVERIFY(notes[1][1].toString().contains(QStringLiteral("The server closed the connection")));
        QCOMPARE(vpnse_gui::look_of(app.model.find("home")->status.state, false).text,
                 QStringLiteral("Reconnecting…"));
        daemon.notify(method::kEventState, state_event("home", "established"));
        QTRY_COMPARE(notes.count(), 3);
        QCOMPARE(notes[2][0].toString(), QStringLiteral("VPN reconnected"));
        daemon.notify(method::kEventState, state_event("home", "disconnected"));  // the user's disconnect
        QTRY_COMPARE(app.model.find("home")->status.state, TunnelState::disconnected);
        QCOMPARE(notes.count(), 3);
        QVERIFY(app.model.find("home")->status.address.empty());
    }

    void a_reply_ahead_of_the_event_still_notifies() {
        FakeDaemon daemon;
        script_profiles(daemon);
        daemon.on(std::string(method::kTunnelsConnect), [&](const json& params, const json& id) {
            auto status = established_office();
            status.name = params["name"].get<std::string>();
            daemon.respond(id, FakeDaemon::Answer{{{"tunnel", status}}, {}, false});
            daemon.notify(method::kEventStats, {{"tunnels", {status}}});
            daemon.notify(method::kEventState, state_event("home", "established"));
            return FakeDaemon::Answer{{}, {}, true};
        });
        QVERIFY(daemon.listen());
        Running app(daemon.socket_path());
        QTRY_VERIFY(shows_profiles(app.model));
        QSignalSpy notes(&app.model, &DaemonModel::notify);
        app.model.set_switch("home", true);
        QTRY_COMPARE(notes.count(), 1);
        QCOMPARE(notes[0][0].toString(), QStringLiteral("VPN connected"));
    }

    void failed_connect_shows_the_error_in_words() {
        FakeDaemon daemon;
        script_profiles(daemon);
        QVERIFY(daemon.listen());
        Running app(daemon.socket_path());
        QTRY_VERIFY(shows_profiles(app.model));
        const vpnse::Error auth(ErrorCode::auth_failed, "authentication failed for user bob on hub HOME");
        daemon.notify(method::kEventState, state_event("home", "disconnected", auth));
        QTRY_VERIFY(app.model.find("home")->shown_error().has_value());
        const auto* home = app.model.find("home");
        QCOMPARE(vpnse_gui::describe_error(*home->shown_error()),
                 QStringLiteral("Authentication failed for user bob on hub HOME"));
        QVERIFY(home->tunnel_failed());
        const auto look = vpnse_gui::look_of(home->status.state, home->tunnel_failed());
        QCOMPARE(look.text, QStringLiteral("Failed"));
        QCOMPARE(look.colour, QColor(0xc6, 0x28, 0x28));
    }

    void stats_feed_the_throughput_graph() {
        FakeDaemon daemon;
        script_profiles(daemon);
        QVERIFY(daemon.listen());
        Running app(daemon.socket_path());
        QTRY_VERIFY(shows_profiles(app.model));
        auto status = established_office();
        status.bytes_in = 1000;
        status.bytes_out = 500;
        daemon.notify(method::kEventStats, {{"tunnels", {status}}});
        QTRY_COMPARE(app.model.find("office")->status.bytes_in, std::uint64_t{1000});
        QTest::qWait(20);
        status.bytes_in = 101000;
        status.bytes_out = 600;
        daemon.notify(method::kEventStats, {{"tunnels", {status}}});
        QTRY_COMPARE(app.model.find("office")->throughput.size(), std::size_t{1});
        const auto sample = app.model.find("office")->throughput.back();
        QVERIFY(sample.in_per_s > sample.out_per_s);
        QVERIFY(sample.out_per_s > 0);
        status.bytes_in = 10;  // a new session: counters restart, no negative rate
        daemon.notify(method::kEventStats, {{"tunnels", {status}}});
        QTRY_COMPARE(app.model.find("office")->status.bytes_in, std::uint64_t{10});
        QCOMPARE(app.model.find("office")->throughput.size(), std::size_t{1});
    }

    void logs_from_buffer_and_events() {
        FakeDaemon daemon;
        script_profiles(daemon);
        QVERIFY(daemon.listen());
        Running app(daemon.socket_path());
        QTRY_COMPARE(app.model.log().size(), std::size_t{2});
        QCOMPARE(app.model.log()[1].level, vpnse::LogLevel::warn);
        protocol::LogLine line{3000, vpnse::LogLevel::error, "vpnsed.tunnel", "auth failed", {}};
        daemon.notify(method::kEventLog, line);
        QTRY_COMPARE(app.model.log().size(), std::size_t{3});
        QCOMPARE(app.model.log().back().message, std::string("auth failed"));
    }

    void import_sends_the_file_text() {
        FakeDaemon daemon;
        script_profiles(daemon);
        daemon.on(std::string(method::kProfilesImport), [](const json& params, const json&) {
            if (params.value("replace", false) == false && params.value("name", std::string()) == "office")
                return FakeDaemon::Answer{{},
                                          protocol::rpc_error_from(vpnse::Error(ErrorCode::already_exists,
                                                                                "profile office exists")),
                                          false};
            return FakeDaemon::Answer{{{"name", params.value("name", std::string("account"))},
                                       {"notes", {"tls.verify = \"insecure\": the account does not check"}}},
                                      {},
                                      false};
        });
        QVERIFY(daemon.listen());
        Running app(daemon.socket_path());
        QTRY_VERIFY(shows_profiles(app.model));
        QSignalSpy done(&app.model, &DaemonModel::import_finished);
        app.model.import_profile(QStringLiteral("declare root\n{\n}\n"), QString(), QStringLiteral("vpn"),
                                 false);
        QTRY_COMPARE(done.count(), 1);
        QCOMPARE(done[0][0].toBool(), true);
        QVERIFY(done[0][1].toString().contains(QStringLiteral("Imported profile account.")));
        QVERIFY(done[0][1].toString().contains(QStringLiteral("insecure")));
        const auto& sent = *std::find_if(daemon.received().begin(), daemon.received().end(),
                                         [](const auto& r) { return r.method == method::kProfilesImport; });
        QVERIFY(sent.params["content"] == json("declare root\n{\n}\n"));
        QVERIFY(sent.params["format"] == json("vpn"));
        QVERIFY(!sent.params.contains("name"));  // a .vpn file keeps its account's name
        app.model.import_profile(QStringLiteral("[server]\n"), QStringLiteral("office"),
                                 QStringLiteral("toml"), false);
        QTRY_COMPARE(done.count(), 2);
        QCOMPARE(done[1][0].toBool(), false);
        QCOMPARE(done[1][2].toInt(), static_cast<int>(ErrorCode::already_exists));
    }

    void malformed_daemon_output_reconnects() {
        FakeDaemon daemon;
        script_profiles(daemon);
        QVERIFY(daemon.listen());
        Running app(daemon.socket_path());
        QTRY_VERIFY(shows_profiles(app.model));
        // Wrong types in a known event are ignored; a line that is not JSON ends the connection.
        daemon.notify(method::kEventStats, {{"tunnels", {{{"name", 5}}}}});
        daemon.notify(method::kEventState, {{"name", "office"}, {"state", "on fire"}});
        QTest::qWait(50);
        QVERIFY(app.model.daemon_reachable());
        QCOMPARE(app.model.find("office")->status.state, TunnelState::established);
        QSignalSpy changed(&app.model, &DaemonModel::daemon_changed);
        daemon.send_raw("{not json\n");
        QTRY_VERIFY(changed.count() >= 1);
        QTRY_VERIFY(app.model.daemon_reachable());
    }

    void formats() {
        QCOMPARE(vpnse_gui::format_bytes(999), QStringLiteral("999 B"));
        QCOMPARE(vpnse_gui::format_bytes(3400000), QStringLiteral("3.4 MB"));
        QCOMPARE(vpnse_gui::format_rate(340000), QStringLiteral("340 kB/s"));
        QCOMPARE(vpnse_gui::format_duration(192), QStringLiteral("3 min 12 s"));
        QCOMPARE(vpnse_gui::format_duration(3720), QStringLiteral("1 h 02 min"));
    }
};

QTEST_GUILESS_MAIN(DaemonModelTest)
#include "daemon_model_test.moc"
