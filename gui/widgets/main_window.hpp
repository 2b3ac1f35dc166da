#pragma once
// vpnse-gui's main window: the daemon's status and any permission text on top, the profiles with their
// switches on the left, the selected tunnel's details and throughput graph on the right, the log below,
// and File > Import profile. Everything it does goes through the (asynchronous) view model.
#include <QLabel>
#include <QListWidget>
#include <QMainWindow>
#include <map>
#include <string>

#include "model/daemon_model.hpp"
#include "widgets/log_view.hpp"
#include "widgets/profile_row.hpp"
#include "widgets/tunnel_details.hpp"

namespace vpnse_gui {

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(DaemonModel& model, QWidget* parent = nullptr);
    // Selects a profile in the list (and shows its details).
    void select_profile(const std::string& name);
    // Reads the file and asks vpnsed to import it (.vpn: an official client's account; otherwise TOML,
    // named after the file).
    void import_file(const QString& path);

  private:
    void rebuild_list();
    void refresh_profile(const QString& name);
    void refresh_banner();
    void choose_import();
    std::string selected() const;

    DaemonModel& model_;
    QLabel* banner_;
    QLabel* permission_;
    QListWidget* list_;
    TunnelDetails* details_;
    LogView* log_;
    std::map<std::string, ProfileRowWidget*> rows_;
    QString last_import_path_;
};

}  // namespace vpnse_gui
