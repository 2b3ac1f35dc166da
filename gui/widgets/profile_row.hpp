#pragma once
// One profile in the list: a coloured state dot, the name and server, the state in words, the error to
// show, and the connect/disconnect switch. Object names carry the profile name ("switch/office",
// "state/office", "error/office") so tests and accessibility tools find them.
#include <QLabel>
#include <QWidget>

#include "model/daemon_model.hpp"
#include "widgets/toggle_switch.hpp"

namespace vpnse_gui {

class ProfileRowWidget : public QWidget {
    Q_OBJECT
  public:
    ProfileRowWidget(DaemonModel& model, const std::string& name, QWidget* parent = nullptr);
    void refresh();

  private:
    DaemonModel& model_;
    std::string name_;
    QLabel* dot_;
    QLabel* title_;
    QLabel* state_;
    QLabel* error_;
    ToggleSwitch* switch_;
};

}  // namespace vpnse_gui
