#include "widgets/main_window.hpp"

#include <QApplication>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QSplitter>
#include <QStatusBar>
#include <QVBoxLayout>

namespace vpnse_gui {

namespace {
constexpr qint64 kMaxImportBytes = 256 * 1024;  // profiles.import's limit (docs/ipc-jsonrpc.md)
}

MainWindow::MainWindow(DaemonModel& model, QWidget* parent)
    : QMainWindow(parent),
      model_(model),
      banner_(new QLabel(this)),
      permission_(new QLabel(this)),
      list_(new QListWidget(this)),
      details_(new TunnelDetails(this)),
      log_(new LogView(model, this)) {
    setWindowTitle(QStringLiteral("vpnse"));
    setWindowIcon(QIcon(QStringLiteral(":/vpnse/data/vpnse-gui.svg")));
    banner_->setObjectName(QStringLiteral("daemon"));
    permission_->setObjectName(QStringLiteral("permission"));
    permission_->setWordWrap(true);
    permission_->setStyleSheet(
        QStringLiteral("background: #fff3e0; color: #8a4b00; padding: 6px; border: 1px solid #ffb74d;"));
    list_->setObjectName(QStringLiteral("profiles"));
    list_->setMinimumWidth(340);
    list_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    list_->setResizeMode(QListView::Adjust);
    // A light selection keeps the rows' state colours readable.
    list_->setStyleSheet(QStringLiteral("QListWidget::item:selected { background: #e3f2fd; }"));

    auto* top = new QSplitter(Qt::Horizontal);
    top->addWidget(list_);
    top->addWidget(details_);
    top->setStretchFactor(1, 1);
    auto* vertical = new QSplitter(Qt::Vertical);
    vertical->addWidget(top);
    vertical->addWidget(log_);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 1);
    vertical->setSizes({500, 180});
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->addWidget(banner_);
    layout->addWidget(permission_);
    layout->addWidget(vertical, 1);
    setCentralWidget(central);

    QMenu* file = menuBar()->addMenu(QStringLiteral("&File"));
    QAction* import = file->addAction(QStringLiteral("&Import profile…"), this, &MainWindow::choose_import);
    import->setObjectName(QStringLiteral("import"));
    file->addSeparator();
    file->addAction(QStringLiteral("&Quit"), QKeySequence::Quit, qApp, &QCoreApplication::quit);

    connect(list_, &QListWidget::currentRowChanged, this, [this] {
        const std::string name = selected();
        details_->show_row(name.empty() ? nullptr : model_.find(name));
    });
    connect(&model_, &DaemonModel::profiles_changed, this, &MainWindow::rebuild_list);
    connect(&model_, &DaemonModel::profile_changed, this, &MainWindow::refresh_profile);
    connect(&model_, &DaemonModel::daemon_changed, this, [this] {
        refresh_banner();
        for (auto& [name, row] : rows_)
            row->refresh();
    });
    connect(&model_, &DaemonModel::import_finished, this, [this](bool ok, const QString& text, int code) {
        if (!ok && code == static_cast<int>(vpnse::ErrorCode::already_exists) &&
            QMessageBox::question(this, QStringLiteral("Import profile"),
                                  QStringLiteral("%1\nReplace it?").arg(text)) == QMessageBox::Yes) {
            // Same file again, replacing: the dialog only returns after the user chose.
            const QString path = last_import_path_;
            QFile in(path);
            if (in.open(QIODevice::ReadOnly)) {
                const bool account = path.endsWith(QStringLiteral(".vpn"), Qt::CaseInsensitive);
                model_.import_profile(QString::fromUtf8(in.read(kMaxImportBytes + 1)),
                                      account ? QString() : QFileInfo(path).completeBaseName(),
                                      account ? QStringLiteral("vpn") : QStringLiteral("toml"), true);
            }
            return;
        }
        statusBar()->showMessage(text.section(QLatin1Char('\n'), 0, 0), 10000);
        if (ok)
            QMessageBox::information(this, QStringLiteral("Import profile"), text);
        else
            QMessageBox::warning(this, QStringLiteral("Import profile"), text);
    });
    refresh_banner();
    rebuild_list();
    resize(1000, 760);
}

std::string MainWindow::selected() const {
    const QListWidgetItem* item = list_->currentItem();
    return item ? item->data(Qt::UserRole).toString().toStdString() : std::string();
}

void MainWindow::select_profile(const std::string& name) {
    for (int i = 0; i < list_->count(); ++i)
        if (list_->item(i)->data(Qt::UserRole).toString().toStdString() == name)
            list_->setCurrentRow(i);
}

void MainWindow::rebuild_list() {
    const std::string keep = selected();
    list_->clear();  // deletes the row widgets too
    rows_.clear();
    for (const auto& row : model_.profiles()) {
        auto* item = new QListWidgetItem(list_);  // owned by list_
        item->setData(Qt::UserRole, QString::fromStdString(row.summary.name));
        auto* widget = new ProfileRowWidget(model_, row.summary.name);
        item->setSizeHint(widget->sizeHint());
        list_->setItemWidget(item, widget);
        rows_[row.summary.name] = widget;
    }
    if (!keep.empty())
        select_profile(keep);
    if (list_->currentRow() < 0 && list_->count() > 0)
        list_->setCurrentRow(0);
    for (const auto& error : model_.load_errors())
        statusBar()->showMessage(QStringLiteral("Profile not loaded: %1").arg(error), 10000);
}

void MainWindow::refresh_profile(const QString& name) {
    const std::string key = name.toStdString();
    if (const auto it = rows_.find(key); it != rows_.end()) {
        it->second->refresh();
        if (QListWidgetItem* item = list_->currentItem(); item && item->data(Qt::UserRole).toString() == name)
            details_->show_row(model_.find(key));
        for (int i = 0; i < list_->count(); ++i)
            if (list_->itemWidget(list_->item(i)) == it->second)
                list_->item(i)->setSizeHint(it->second->sizeHint());
    }
}

void MainWindow::refresh_banner() {
    banner_->setText(model_.daemon_text());
    banner_->setStyleSheet(model_.daemon_reachable() ? QString()
                                                     : QStringLiteral("color: #c62828; font-weight: bold;"));
    permission_->setText(model_.permission_text());
    permission_->setVisible(!model_.permission_text().isEmpty());
}

void MainWindow::choose_import() {
    const QString path =
        QFileDialog::getOpenFileName(this, QStringLiteral("Import a VPN profile"), QString(),
                                     QStringLiteral("VPN profiles (*.vpn *.toml);;All files (*)"));
    if (!path.isEmpty())
        import_file(path);
}

void MainWindow::import_file(const QString& path) {
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly)) {
        QMessageBox::warning(this, QStringLiteral("Import profile"),
                             QStringLiteral("Cannot read %1: %2").arg(path, in.errorString()));
        return;
    }
    if (in.size() > kMaxImportBytes) {
        QMessageBox::warning(this, QStringLiteral("Import profile"),
                             QStringLiteral("%1 is larger than 256 KiB; it is not a profile.").arg(path));
        return;
    }
    last_import_path_ = path;
    const bool account = path.endsWith(QStringLiteral(".vpn"), Qt::CaseInsensitive);
    model_.import_profile(QString::fromUtf8(in.read(kMaxImportBytes + 1)),
                          account ? QString() : QFileInfo(path).completeBaseName(),
                          account ? QStringLiteral("vpn") : QStringLiteral("toml"), false);
}

}  // namespace vpnse_gui
