#include "platform/windows/session_tunnel.hpp"

#include <asio/post.hpp>

#include "vpnse/client.hpp"

namespace vpnsed::tunnel {
namespace {

class SessionTunnel final : public service::TunnelHandle {
  public:
    SessionTunnel(asio::io_context& io, vpnse::Profile profile, service::TunnelObserver& observer,
                  vpnse::Logger logger, std::string host_name)
        : io_(io),
          profile_(std::move(profile)),
          observer_(observer),
          logger_(std::move(logger)),
          host_name_(std::move(host_name)),
          alive_(std::make_shared<bool>(true)) {}
    ~SessionTunnel() override { *alive_ = false; }

    void connect() override {
        if (!client_) {
            vpnse::ClientCallbacks callbacks;
            // Client callbacks run on the io thread, after connect() returned (TunnelFactory contract).
            callbacks.on_state = [this, alive = alive_](vpnse::TunnelState state, const vpnse::Error& error) {
                if (*alive)
                    observer_.on_state(state, error);
            };
            callbacks.on_packet = [](std::span<const std::uint8_t>) {};  // no adapter yet: dropped
            vpnse::ClientOptions options;
            options.log_sink = logger_.sink();
            options.log_level = logger_.level();
            options.host_name = host_name_;
            client_ =
                std::make_unique<vpnse::Client>(io_, profile_, std::move(callbacks), std::move(options));
        }
        client_->connect();
    }

    void disconnect() override {
        if (client_) {
            client_->disconnect();
            return;
        }
        asio::post(io_, [this, alive = alive_] {
            if (*alive)
                observer_.on_state(vpnse::TunnelState::disconnected, vpnse::Error());
        });
    }

    service::TunnelSnapshot status() const override {
        service::TunnelSnapshot snapshot;
        if (!client_)
            return snapshot;
        snapshot.state = client_->state();
        snapshot.last_error = client_->last_error();
        snapshot.network = client_->network();
        snapshot.stats = client_->stats();
        return snapshot;
    }

  private:
    asio::io_context& io_;
    vpnse::Profile profile_;
    service::TunnelObserver& observer_;
    vpnse::Logger logger_;
    std::string host_name_;
    std::shared_ptr<bool> alive_;  // the observer is not called once the handle is gone
    std::unique_ptr<vpnse::Client> client_;
};

class SessionTunnelFactory final : public service::TunnelFactory {
  public:
    SessionTunnelFactory(asio::io_context& io, vpnse::Logger logger, std::string host_name)
        : io_(io), logger_(std::move(logger)), host_name_(std::move(host_name)) {}

    std::unique_ptr<service::TunnelHandle> create(const vpnse::Profile& profile,
                                                  service::TunnelObserver& observer) override {
        return std::make_unique<SessionTunnel>(io_, profile, observer, logger_.child(profile.name),
                                               host_name_);
    }

  private:
    asio::io_context& io_;
    vpnse::Logger logger_;
    std::string host_name_;
};

}  // namespace

std::unique_ptr<service::TunnelFactory> make_session_tunnel_factory(asio::io_context& io,
                                                                    vpnse::Logger logger,
                                                                    std::string host_name) {
    return std::make_unique<SessionTunnelFactory>(io, std::move(logger), std::move(host_name));
}

}  // namespace vpnsed::tunnel
