// vpnse-gui: the composition root. An unprivileged desktop client of vpnsed's control socket.
//   vpnse-gui [--socket PATH] [--minimized]
#include <QApplication>
#include <QCommandLineParser>
#include <QSystemTrayIcon>

#include "client/daemon_client.hpp"
#include "model/daemon_model.hpp"
#include "widgets/main_window.hpp"
#include "widgets/tray_icon.hpp"

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("vpnse-gui"));
    QApplication::setApplicationVersion(QStringLiteral(VPNSE_GUI_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("vpnse-gui"));

    QCommandLineParser options;
    options.setApplicationDescription(QStringLiteral("Desktop client of vpnsed, the vpnse VPN service"));
    options.addHelpOption();
    options.addVersionOption();
    const QCommandLineOption socket(
        QStringList{QStringLiteral("s"), QStringLiteral("socket")},
        QStringLiteral("vpnsed's control socket (default %1)").arg(QStringLiteral(VPNSE_GUI_SOCKET)),
        QStringLiteral("path"), QStringLiteral(VPNSE_GUI_SOCKET));
    const QCommandLineOption minimized(QStringLiteral("minimized"),
                                       QStringLiteral("start in the system tray only"));
    options.addOption(socket);
    options.addOption(minimized);
    options.process(app);

    vpnse_gui::DaemonClient client(options.value(socket));
    vpnse_gui::DaemonModel model(client);
    vpnse_gui::MainWindow window(model);
    vpnse_gui::TrayIcon tray(model, &window);
    // With a tray the app keeps running when the window closes; the tray's Quit ends it.
    const bool tray_available = QSystemTrayIcon::isSystemTrayAvailable();
    QApplication::setQuitOnLastWindowClosed(!tray_available);
    if (!(options.isSet(minimized) && tray_available))
        window.show();
    model.start();
    return QApplication::exec();
}
