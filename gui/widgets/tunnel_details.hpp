#pragma once
// The details of the selected profile's tunnel: address, gateway, routes, DNS, server version, TLS suite,
// uptime, connections and counters, plus its throughput graph. Value labels are named "detail/<field>".
#include <QLabel>
#include <QWidget>
#include <map>
#include <string>

#include "model/daemon_model.hpp"
#include "widgets/throughput_graph.hpp"

namespace vpnse_gui {

class TunnelDetails : public QWidget {
    Q_OBJECT
  public:
    explicit TunnelDetails(QWidget* parent = nullptr);
    void show_row(const ProfileRow* row);  // nullptr: nothing selected

  private:
    void set(const char* field, const QString& text);

    QLabel* heading_;
    std::map<std::string, QLabel*> values_;
    ThroughputGraph* graph_;
};

}  // namespace vpnse_gui
