#include "rpc/unix_server.hpp"

#include <sys/stat.h>

#include <filesystem>

#include "protocol/error_mapping.hpp"

namespace vpnsed::rpc {

using vpnse::Error;
using vpnse::ErrorCode;
using stream = asio::local::stream_protocol;

UnixServer::UnixServer(asio::io_context& io, Dispatcher& dispatcher, ServerOptions options,
                       vpnse::Logger logger)
    : io_(io),
      dispatcher_(dispatcher),
      options_(std::move(options)),
      logger_(std::move(logger)),
      acceptor_(io),
      clients_(dispatcher, options_.max_clients, options_.idle_timeout, logger_) {}

UnixServer::~UnixServer() {
    stop();
}

// A directory on the way to the socket that others cannot search hides it from everyone but root
// (and that directory's owner and group): worth a loud word, since status is meant for everyone.
void UnixServer::warn_if_unreachable(const std::filesystem::path& socket_path) const {
    for (auto dir = socket_path.parent_path(); !dir.empty() && dir != dir.root_path();
         dir = dir.parent_path()) {
        struct stat info {};
        if (::stat(dir.c_str(), &info) == 0 && (info.st_mode & S_IXOTH) == 0) {
            char mode[8];
            std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
            logger_.warn(
                "the control socket is unreachable for unprivileged users: a directory on its path "
                "is not searchable by others",
                {{"directory", dir.string()}, {"mode", mode}, {"socket", options_.socket_path}});
            return;
        }
    }
}

vpnse::Status UnixServer::listen() {
    const std::filesystem::path path(options_.socket_path);
    std::error_code ec;
    if (path.has_parent_path() && !std::filesystem::exists(path.parent_path(), ec)) {
        std::filesystem::create_directories(path.parent_path(), ec);
        if (ec)
            return Error(ErrorCode::io_error,
                         "cannot create " + path.parent_path().string() + ": " + ec.message());
        ::chmod(path.parent_path().c_str(), 0755);
    }
    struct stat info {};
    if (::lstat(path.c_str(), &info) == 0) {
        if (!S_ISSOCK(info.st_mode))
            return Error(ErrorCode::already_exists, options_.socket_path + " exists and is not a socket");
        stream::socket probe(io_);
        probe.connect(stream::endpoint(options_.socket_path), ec);
        if (!ec)
            return Error(ErrorCode::already_exists,
                         "another vpnsed is already listening on " + options_.socket_path);
        std::filesystem::remove(path, ec);  // stale: left by a daemon that did not exit cleanly
    }
    acceptor_.open(stream(), ec);
    if (!ec)
        acceptor_.bind(stream::endpoint(options_.socket_path), ec);
    if (!ec)
        acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        return Error(ErrorCode::io_error, "cannot listen on " + options_.socket_path + ": " + ec.message());
    // Everyone may connect; each call is authorized from the peer's credentials.
    ::chmod(options_.socket_path.c_str(), 0666);
    warn_if_unreachable(path);
    listening_ = true;
    logger_.info("control socket ready", {{"path", options_.socket_path}, {"group", options_.group}});
    accept();
    return {};
}

void UnixServer::accept() {
    acceptor_.async_accept([this](const std::error_code& ec, stream::socket socket) {
        if (ec == asio::error::operation_aborted || !listening_)
            return;
        if (!ec) {
            const Caller caller = identify_peer(socket.native_handle(), options_.group);
            clients_.admit(std::make_unique<AsioControlStream<stream::socket>>(std::move(socket)), caller,
                           "uid " + std::to_string(caller.uid) + " pid " + std::to_string(caller.pid));
        } else {
            logger_.warn("accept failed", {{"error", ec.message()}});
        }
        accept();
    });
}

void UnixServer::stop() {
    if (!listening_)
        return;
    listening_ = false;
    std::error_code ec;
    acceptor_.close(ec);
    clients_.close_all();
    std::filesystem::remove(options_.socket_path, ec);
}

}  // namespace vpnsed::rpc
