#pragma once
// The daemon's log (daemon.logs, then event.log as it comes) with a level filter.
#include <QComboBox>
#include <QPlainTextEdit>
#include <QWidget>

#include "model/daemon_model.hpp"

namespace vpnse_gui {

class LogView : public QWidget {
    Q_OBJECT
  public:
    explicit LogView(DaemonModel& model, QWidget* parent = nullptr);

  private:
    void rebuild();
    void append(int count);
    bool shown(const vpnsed::protocol::LogLine& line) const;

    DaemonModel& model_;
    QComboBox* level_;
    QPlainTextEdit* text_;
};

// "12:04:31 WARN vpnsed.tunnel: server slow (profile=office)"
QString log_line_text(const vpnsed::protocol::LogLine& line);

}  // namespace vpnse_gui
