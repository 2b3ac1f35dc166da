#include "widgets/log_view.hpp"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollBar>
#include <QVBoxLayout>

namespace vpnse_gui {

using vpnse::LogLevel;

QString log_line_text(const vpnsed::protocol::LogLine& line) {
    QString text = QStringLiteral("%1 %2 %3: %4")
                       .arg(QDateTime::fromMSecsSinceEpoch(line.time_ms).toString(QStringLiteral("HH:mm:ss")),
                            QString::fromUtf8(vpnse::log_level_name(line.level).data()).toUpper(),
                            QString::fromStdString(line.component), QString::fromStdString(line.message));
    QStringList fields;
    for (const auto& field : line.fields)
        fields << QStringLiteral("%1=%2").arg(QString::fromStdString(field.key),
                                              QString::fromStdString(field.value));
    if (!fields.isEmpty())
        text += QStringLiteral(" (%1)").arg(fields.join(QLatin1Char(' ')));
    return text;
}

LogView::LogView(DaemonModel& model, QWidget* parent)
    : QWidget(parent), model_(model), level_(new QComboBox(this)), text_(new QPlainTextEdit(this)) {
    level_->setObjectName(QStringLiteral("log-level"));
    text_->setObjectName(QStringLiteral("log"));
    for (const LogLevel level : {LogLevel::debug, LogLevel::info, LogLevel::warn, LogLevel::error})
        level_->addItem(QString::fromUtf8(vpnse::log_level_name(level).data()), static_cast<int>(level));
    level_->setCurrentIndex(1);  // info
    text_->setReadOnly(true);
    text_->setMaximumBlockCount(static_cast<int>(DaemonModel::kLogLines));
    text_->setLineWrapMode(QPlainTextEdit::NoWrap);
    text_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(QStringLiteral("Daemon log, at least:"), this));
    bar->addWidget(level_);
    bar->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(text_);
    connect(level_, &QComboBox::currentIndexChanged, this, &LogView::rebuild);
    connect(&model_, &DaemonModel::log_reset, this, &LogView::rebuild);
    connect(&model_, &DaemonModel::log_appended, this, &LogView::append);
    rebuild();
}

bool LogView::shown(const vpnsed::protocol::LogLine& line) const {
    return static_cast<int>(line.level) >= level_->currentData().toInt();
}

void LogView::rebuild() {
    QStringList lines;
    for (const auto& line : model_.log())
        if (shown(line))
            lines << log_line_text(line);
    text_->setPlainText(lines.join(QLatin1Char('\n')));
    text_->verticalScrollBar()->setValue(text_->verticalScrollBar()->maximum());
}

void LogView::append(int count) {
    const auto& log = model_.log();
    for (auto i = log.size() - std::min<std::size_t>(static_cast<std::size_t>(count), log.size());
         i < log.size(); ++i)
        if (shown(log[i]))
            text_->appendPlainText(log_line_text(log[i]));
}

}  // namespace vpnse_gui
