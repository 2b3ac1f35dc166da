#pragma once
// The live throughput graph of one tunnel: received and sent bytes per second from event.stats, newest
// on the right.
#include <QWidget>
#include <deque>

#include "model/daemon_model.hpp"

namespace vpnse_gui {

class ThroughputGraph : public QWidget {
    Q_OBJECT
  public:
    explicit ThroughputGraph(QWidget* parent = nullptr);
    void set_samples(const std::deque<ThroughputSample>& samples);
    QSize minimumSizeHint() const override { return {240, 120}; }

  protected:
    void paintEvent(QPaintEvent* event) override;

  private:
    std::deque<ThroughputSample> samples_;
};

}  // namespace vpnse_gui
