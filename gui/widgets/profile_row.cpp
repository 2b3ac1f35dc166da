#include "widgets/profile_row.hpp"

#include <QHBoxLayout>
#include <QVBoxLayout>

#include "model/presentation.hpp"

namespace vpnse_gui {

ProfileRowWidget::ProfileRowWidget(DaemonModel& model, const std::string& name, QWidget* parent)
    : QWidget(parent),
      model_(model),
      name_(name),
      dot_(new QLabel(this)),
      title_(new QLabel(this)),
      state_(new QLabel(this)),
      error_(new QLabel(this)),
      switch_(new ToggleSwitch(this)) {
    const QString qname = QString::fromStdString(name);
    state_->setObjectName(QStringLiteral("state/") + qname);
    error_->setObjectName(QStringLiteral("error/") + qname);
    switch_->setObjectName(QStringLiteral("switch/") + qname);
    switch_->setAccessibleName(QStringLiteral("Connect %1").arg(qname));
    dot_->setFixedSize(12, 12);
    error_->setWordWrap(true);
    error_->setStyleSheet(QStringLiteral("color: #c62828;"));
    error_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* text = new QVBoxLayout;
    text->setSpacing(2);
    text->addWidget(title_);
    text->addWidget(state_);
    text->addWidget(error_);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->addWidget(dot_, 0, Qt::AlignTop | Qt::AlignHCenter);
    layout->addLayout(text, 1);
    layout->addWidget(switch_, 0, Qt::AlignVCenter);
    // A click asks for the opposite of what the tunnel is; the switch shows the daemon's state, not the
    // click.
    connect(switch_, &QAbstractButton::clicked, this, [this] {
        const ProfileRow* row = model_.find(name_);
        if (row)
            model_.set_switch(name_, !row->switched_on());
        refresh();
    });
    refresh();
}

void ProfileRowWidget::refresh() {
    const ProfileRow* row = model_.find(name_);
    if (!row)
        return;
    const auto error = row->shown_error();
    const StateLook look = look_of(row->status.state, row->tunnel_failed());
    dot_->setStyleSheet(QStringLiteral("background: %1; border-radius: 6px;").arg(look.colour.name()));
    title_->setText(QStringLiteral("<b>%1</b><br><small>%2@%3:%4, hub %5</small>")
                        .arg(QString::fromStdString(name_).toHtmlEscaped(),
                             QString::fromStdString(row->summary.user).toHtmlEscaped(),
                             QString::fromStdString(row->summary.host).toHtmlEscaped())
                        .arg(row->summary.port)
                        .arg(QString::fromStdString(row->summary.hub).toHtmlEscaped()));
    QString state = look.text;
    if (row->status.state == vpnse::TunnelState::established && !row->status.address.empty())
        state += QStringLiteral(" — %1").arg(QString::fromStdString(row->status.address));
    state_->setText(state);
    state_->setStyleSheet(QStringLiteral("color: %1;").arg(look.colour.name()));
    error_->setText(error ? describe_error(*error) : QString());
    error_->setVisible(error.has_value());
    switch_->setChecked(row->switched_on());
    switch_->setEnabled(model_.may_change() && !row->busy);
    switch_->setToolTip(model_.permission_text().isEmpty()
                            ? (row->switched_on() ? QStringLiteral("Disconnect") : QStringLiteral("Connect"))
                            : model_.permission_text());
}

}  // namespace vpnse_gui
