#include "widgets/throughput_graph.hpp"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>

#include "model/presentation.hpp"

namespace vpnse_gui {

namespace {
const QColor kIn(0x1e, 0x88, 0xe5), kOut(0xef, 0x6c, 0x00);
}

ThroughputGraph::ThroughputGraph(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("throughput"));
    setAccessibleName(QStringLiteral("Throughput"));
}

void ThroughputGraph::set_samples(const std::deque<ThroughputSample>& samples) {
    samples_ = samples;
    update();
}

void ThroughputGraph::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF area = QRectF(rect()).adjusted(4, 20, -4, -4);
    painter.fillRect(area, palette().base());
    painter.setPen(palette().mid().color());
    painter.drawRect(area);
    double peak = 1000;  // at least 1 kB/s full scale, so an idle tunnel draws flat lines
    for (const auto& sample : samples_)
        peak = std::max({peak, sample.in_per_s, sample.out_per_s});
    const double latest_in = samples_.empty() ? 0 : samples_.back().in_per_s;
    const double latest_out = samples_.empty() ? 0 : samples_.back().out_per_s;
    painter.setPen(kIn);
    painter.drawText(QPointF(6, 14), QStringLiteral("▼ in %1").arg(format_rate(latest_in)));
    painter.setPen(kOut);
    painter.drawText(QPointF(width() / 3.0, 14), QStringLiteral("▲ out %1").arg(format_rate(latest_out)));
    painter.setPen(palette().text().color());
    painter.drawText(QRectF(0, 0, width() - 6, 18), Qt::AlignRight,
                     QStringLiteral("max %1").arg(format_rate(peak)));
    if (samples_.size() < 2)
        return;
    // The x axis spans at least kMinSpan samples, so a young tunnel's first minute is not a sliver.
    constexpr std::size_t kMinSpan = 30;
    const double step = area.width() / static_cast<double>(std::max(kMinSpan, samples_.size()) - 1);
    auto line = [&](auto value, const QColor& colour) {
        QPainterPath path;
        const double first_x = area.right() - step * static_cast<double>(samples_.size() - 1);
        for (std::size_t i = 0; i < samples_.size(); ++i) {
            const QPointF point(first_x + step * static_cast<double>(i),
                                area.bottom() - area.height() * value(samples_[i]) / peak);
            if (i == 0)
                path.moveTo(point);
            else
                path.lineTo(point);
        }
        painter.setPen(QPen(colour, 2));
        painter.drawPath(path);
    };
    line([](const ThroughputSample& s) { return s.in_per_s; }, kIn);
    line([](const ThroughputSample& s) { return s.out_per_s; }, kOut);
}

}  // namespace vpnse_gui
