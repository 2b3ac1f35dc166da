#pragma once
// The system tray icon (StatusNotifierItem over D-Bus where a host for it runs, the XEmbed tray
// otherwise; Qt picks) with a menu entry per profile to connect or disconnect it, and the desktop
// notifications the model asks for (connected, dropped, reconnected).
#include <QMenu>
#include <QObject>
#include <QSystemTrayIcon>

#include "model/daemon_model.hpp"

namespace vpnse_gui {

class TrayIcon : public QObject {
    Q_OBJECT
  public:
    TrayIcon(DaemonModel& model, QWidget* window, QObject* parent = nullptr);

  private:
    void rebuild_menu();

    DaemonModel& model_;
    QWidget* window_;
    QMenu menu_;
    QSystemTrayIcon icon_;
};

}  // namespace vpnse_gui
