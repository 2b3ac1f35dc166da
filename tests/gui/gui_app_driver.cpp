// Drives the real vpnse-gui main window (the same client, model, window and tray as gui/main.cpp) with
// Qt Test events, for tests/e2e/gui_app/test.sh under Xvfb. It prints what the window shows, one
// "key=value" line per fact, and saves screenshots; the shell test compares them with vpnsectl.
//   gui_app_driver --socket PATH --profile NAME --screenshots DIR --scenario connect|denied
//                  [--bad-profile NAME] [--hold-file PATH]
// connect: switch NAME on, wait for "Connected", print the shown details, wait for the hold file (the
//          test checks vpnsectl and sends traffic meanwhile), screenshot, switch it off; then switch the
//          bad profile on and screenshot its error.
// denied:  (a user outside the service group) switch NAME on and print the permission text shown.
#include <QApplication>
#include <QComboBox>
#include <QCommandLineParser>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTest>
#include <cstdio>
#include <functional>

#include "client/daemon_client.hpp"
#include "model/daemon_model.hpp"
#include "widgets/main_window.hpp"
#include "widgets/toggle_switch.hpp"
#include "widgets/tray_icon.hpp"

namespace {

void say(const QString& key, const QString& value) {
    std::printf("%s=%s\n", key.toUtf8().constData(),
                QString(value).replace(QLatin1Char('\n'), QLatin1Char(' ')).toUtf8().constData());
    std::fflush(stdout);
}

[[noreturn]] void give_up(const QString& why) {
    std::fprintf(stderr, "gui_app_driver: %s\n", why.toUtf8().constData());
    std::exit(1);
}

// Processes events until `done` or the deadline; false on timeout.
bool wait_for(const std::function<bool()>& done, int timeout_ms) {
    QDeadlineTimer deadline(timeout_ms);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QTest::qWait(50);
    }
    return true;
}

template <typename T>
T* child(QWidget& window, const QString& name) {
    return window.findChild<T*>(name);
}

QString text_of(QWidget& window, const QString& name) {
    auto* label = child<QLabel>(window, name);
    return label ? label->text() : QString();
}

void screenshot(QWidget& window, const QString& path) {
    QTest::qWait(300);  // let the last repaint land
    if (!window.grab().save(path))
        give_up(QStringLiteral("cannot save %1").arg(path));
    say(QStringLiteral("screenshot"), path);
}

void click_switch(QWidget& window, const QString& profile) {
    auto* toggle = child<vpnse_gui::ToggleSwitch>(window, QStringLiteral("switch/") + profile);
    if (!toggle)
        give_up(QStringLiteral("no switch for %1").arg(profile));
    say(QStringLiteral("switch-enabled/") + profile,
        toggle->isEnabled() ? QStringLiteral("1") : QStringLiteral("0"));
    QTest::mouseClick(toggle, Qt::LeftButton);
}

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QCommandLineParser options;
    const QCommandLineOption socket(QStringLiteral("socket"), QStringLiteral("socket"),
                                    QStringLiteral("path"));
    const QCommandLineOption profile(QStringLiteral("profile"), QStringLiteral("profile"),
                                     QStringLiteral("name"));
    const QCommandLineOption bad(QStringLiteral("bad-profile"), QStringLiteral("failing profile"),
                                 QStringLiteral("name"));
    const QCommandLineOption shots(QStringLiteral("screenshots"), QStringLiteral("directory"),
                                   QStringLiteral("dir"));
    const QCommandLineOption scenario(QStringLiteral("scenario"), QStringLiteral("connect|denied"),
                                      QStringLiteral("name"));
    const QCommandLineOption hold(QStringLiteral("hold-file"), QStringLiteral("wait for it"),
                                  QStringLiteral("path"));
    options.addOptions({socket, profile, bad, shots, scenario, hold});
    options.process(app);
    const QString name = options.value(profile), dir = options.value(shots);

    vpnse_gui::DaemonClient client(options.value(socket));
    vpnse_gui::DaemonModel model(client);
    vpnse_gui::MainWindow window(model);
    vpnse_gui::TrayIcon tray(model, &window);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        give_up(QStringLiteral("the window never appeared"));
    model.start();
    if (!wait_for(
            [&] {
                return child<vpnse_gui::ToggleSwitch>(window, QStringLiteral("switch/") + name) != nullptr;
            },
            15000))
        give_up(QStringLiteral("profile %1 never listed; daemon: %2").arg(name, model.daemon_text()));
    say(QStringLiteral("daemon"), text_of(window, QStringLiteral("daemon")));
    window.select_profile(name.toStdString());

    if (options.value(scenario) == QStringLiteral("denied")) {
        click_switch(window, name);
        if (!wait_for([&] { return !model.permission_text().isEmpty(); }, 15000))
            give_up(QStringLiteral("no permission text; state: %1")
                        .arg(text_of(window, QStringLiteral("state/") + name)));
        QTest::qWait(100);
        say(QStringLiteral("permission"), text_of(window, QStringLiteral("permission")));
        say(QStringLiteral("error"), text_of(window, QStringLiteral("error/") + name));
        auto* toggle = child<vpnse_gui::ToggleSwitch>(window, QStringLiteral("switch/") + name);
        say(QStringLiteral("switch-enabled-after"),
            toggle && toggle->isEnabled() ? QStringLiteral("1") : QStringLiteral("0"));
        screenshot(window, dir + QStringLiteral("/gui-permission.png"));
        return 0;
    }

    click_switch(window, name);
    const QString state_label = QStringLiteral("state/") + name;
    if (!wait_for([&] { return text_of(window, state_label).startsWith(QStringLiteral("Connected")); },
                  90000))
        give_up(QStringLiteral("never connected; state: %1; error: %2")
                    .arg(text_of(window, state_label), text_of(window, QStringLiteral("error/") + name)));
    // "established" comes before tunnels.status has brought the address.
    wait_for([&] { return text_of(window, QStringLiteral("detail/address")) != QStringLiteral("—"); }, 10000);
    say(QStringLiteral("state"), text_of(window, state_label));
    // A few stats ticks so the graph and counters show something.
    wait_for([&] { return model.find(name.toStdString())->throughput.size() >= 3; }, 8000);
    for (const char* field : {"address", "gateway", "server_version", "tls", "connections", "traffic"})
        say(QStringLiteral("detail/%1").arg(QLatin1String(field)),
            text_of(window, QStringLiteral("detail/%1").arg(QLatin1String(field))));
    // The log view has the daemon's lines (daemon.logs, event.log); its level filter hides info at "error".
    auto* log = child<QPlainTextEdit>(window, QStringLiteral("log"));
    auto* level = child<QComboBox>(window, QStringLiteral("log-level"));
    if (!log || !level)
        give_up(QStringLiteral("no log view"));
    wait_for([&] { return log->toPlainText().contains(QStringLiteral("tunnel established")); }, 5000);
    say(QStringLiteral("log-established"), log->toPlainText().contains(QStringLiteral("tunnel established"))
                                               ? QStringLiteral("1")
                                               : QStringLiteral("0"));
    level->setCurrentIndex(level->findText(QStringLiteral("error")));
    say(QStringLiteral("log-info-at-error"),
        QString::number(log->toPlainText().count(QStringLiteral(" INFO "))));
    level->setCurrentIndex(level->findText(QStringLiteral("info")));
    say(QStringLiteral("log-info-at-info"),
        QString::number(log->toPlainText().count(QStringLiteral(" INFO "))));
    if (options.isSet(hold)) {
        say(QStringLiteral("holding"), options.value(hold));
        if (!wait_for([&] { return QFile::exists(options.value(hold)); }, 60000))
            give_up(QStringLiteral("the hold file never appeared"));
        say(QStringLiteral("detail/traffic"), text_of(window, QStringLiteral("detail/traffic")));
    }
    screenshot(window, dir + QStringLiteral("/gui-connected.png"));
    click_switch(window, name);
    if (!wait_for([&] { return text_of(window, state_label) == QStringLiteral("Disconnected"); }, 30000))
        give_up(QStringLiteral("never disconnected; state: %1").arg(text_of(window, state_label)));
    say(QStringLiteral("state"), text_of(window, state_label));

    if (options.isSet(bad)) {
        const QString bad_name = options.value(bad);
        window.select_profile(bad_name.toStdString());
        click_switch(window, bad_name);
        const QString error_label = QStringLiteral("error/") + bad_name;
        if (!wait_for(
                [&] {
                    return !text_of(window, error_label).isEmpty() &&
                           !model.find(bad_name.toStdString())->busy;
                },
                90000))
            give_up(QStringLiteral("no error shown for %1").arg(bad_name));
        say(QStringLiteral("bad-state"), text_of(window, QStringLiteral("state/") + bad_name));
        say(QStringLiteral("bad-error"), text_of(window, error_label));
        screenshot(window, dir + QStringLiteral("/gui-error.png"));
    }
    return 0;
}
