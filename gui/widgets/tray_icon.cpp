#include "widgets/tray_icon.hpp"

#include <QApplication>

#include "model/presentation.hpp"

namespace vpnse_gui {

TrayIcon::TrayIcon(DaemonModel& model, QWidget* window, QObject* parent)
    : QObject(parent), model_(model), window_(window) {
    icon_.setIcon(QIcon(QStringLiteral(":/vpnse/data/vpnse-gui.svg")));
    icon_.setToolTip(QStringLiteral("vpnse"));
    icon_.setContextMenu(&menu_);
    connect(&icon_, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger) {
            window_->show();
            window_->raise();
            window_->activateWindow();
        }
    });
    connect(&model_, &DaemonModel::notify, this, [this](const QString& title, const QString& body) {
        if (QSystemTrayIcon::supportsMessages())
            icon_.showMessage(title, body, QSystemTrayIcon::Information, 5000);
    });
    connect(&model_, &DaemonModel::profiles_changed, this, &TrayIcon::rebuild_menu);
    connect(&model_, &DaemonModel::profile_changed, this, &TrayIcon::rebuild_menu);
    connect(&model_, &DaemonModel::daemon_changed, this, &TrayIcon::rebuild_menu);
    rebuild_menu();
    icon_.show();
}

void TrayIcon::rebuild_menu() {
    if (menu_.isVisible())
        return;  // never pull entries from under the user's pointer; the next change rebuilds it
    menu_.clear();
    QStringList up;
    for (const auto& row : model_.profiles()) {
        const QString name = QString::fromStdString(row.summary.name);
        const StateLook look = look_of(row.status.state, row.tunnel_failed());
        QAction* action = menu_.addAction(QStringLiteral("%1 — %2").arg(name, look.text));
        action->setCheckable(true);
        action->setChecked(row.switched_on());
        action->setEnabled(model_.may_change() && !row.busy);
        connect(action, &QAction::triggered, this,
                [this, key = row.summary.name, on = !row.switched_on()] { model_.set_switch(key, on); });
        if (row.status.state == vpnse::TunnelState::established)
            up << name;
    }
    if (model_.profiles().empty())
        menu_.addAction(model_.daemon_reachable() ? QStringLiteral("No profiles") : model_.daemon_text())
            ->setEnabled(false);
    menu_.addSeparator();
    connect(menu_.addAction(QStringLiteral("Show window")), &QAction::triggered, window_, [this] {
        window_->show();
        window_->raise();
    });
    connect(menu_.addAction(QStringLiteral("Quit")), &QAction::triggered, qApp, &QApplication::quit);
    icon_.setToolTip(up.isEmpty() ? QStringLiteral("vpnse: no tunnel up")
                                  : QStringLiteral("vpnse: %1 connected").arg(up.join(QStringLiteral(", "))));
}

}  // namespace vpnse_gui
