#pragma once
// A connect/disconnect switch: a checkable button drawn as a sliding toggle.
#include <QAbstractButton>

namespace vpnse_gui {

class ToggleSwitch : public QAbstractButton {
    Q_OBJECT
  public:
    explicit ToggleSwitch(QWidget* parent = nullptr);
    QSize sizeHint() const override { return {44, 24}; }

  protected:
    void paintEvent(QPaintEvent* event) override;
};

}  // namespace vpnse_gui
