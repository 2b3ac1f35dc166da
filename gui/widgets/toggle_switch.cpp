#include "widgets/toggle_switch.hpp"

#include <QPainter>

namespace vpnse_gui {

ToggleSwitch::ToggleSwitch(QWidget* parent) : QAbstractButton(parent) {
    setCheckable(true);
    setCursor(Qt::PointingHandCursor);
    setFocusPolicy(Qt::StrongFocus);
}

void ToggleSwitch::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF track = QRectF(rect()).adjusted(2, 4, -2, -4);
    QColor fill = isChecked() ? QColor(0x2e, 0x9e, 0x44) : QColor(0xb0, 0xb0, 0xb0);
    if (!isEnabled())
        fill = fill.lighter(140);
    painter.setPen(Qt::NoPen);
    painter.setBrush(fill);
    painter.drawRoundedRect(track, track.height() / 2, track.height() / 2);
    const qreal knob = height() - 4;
    const qreal x = isChecked() ? width() - knob - 2 : 2;
    painter.setBrush(isEnabled() ? Qt::white : QColor(0xee, 0xee, 0xee));
    painter.drawEllipse(QRectF(x, 2, knob, knob));
}

}  // namespace vpnse_gui
