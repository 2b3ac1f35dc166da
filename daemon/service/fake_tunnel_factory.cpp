#include "service/fake_tunnel_factory.hpp"

#include <asio/post.hpp>

namespace vpnsed::service {

using vpnse::Error;
using vpnse::ErrorCode;
using vpnse::TunnelState;

FakeTunnel::FakeTunnel(asio::io_context& io, vpnse::Profile profile, TunnelObserver& observer, bool manual,
                       std::chrono::milliseconds step, std::shared_ptr<int> live_count)
    : io_(io),
      profile_(std::move(profile)),
      observer_(observer),
      manual_(manual),
      step_(step),
      live_count_(std::move(live_count)) {
    ++*live_count_;
}

FakeTunnel::~FakeTunnel() {
    *alive_ = false;
    --*live_count_;
}

void FakeTunnel::report(TunnelState state, Error error) {
    state_ = state;
    if (error)
        last_error_ = error;
    if (state == TunnelState::established)
        established_at_ = std::chrono::steady_clock::now();
    observer_.on_state(state, error);
}

void FakeTunnel::run_script(std::vector<std::pair<TunnelState, Error>> steps) {
    timers_.clear();  // a new script replaces the pending one
    auto delay = step_;
    for (auto& [state, error] : steps) {
        auto timer = std::make_unique<asio::steady_timer>(io_, delay);
        timer->async_wait([this, alive = std::weak_ptr<bool>(alive_), state = state,
                           error = error](const std::error_code& ec) {
            if (!ec && !alive.expired())
                report(state, error);
        });
        timers_.push_back(std::move(timer));
        delay += step_;
    }
}

void FakeTunnel::connect() {
    ++connect_calls;
    if (manual_)
        return;
    last_error_ = Error();
    const std::string& host = profile_.host;
    const std::string suffix = ".unreachable";
    if (profile_.username == "wrong") {
        run_script({{TunnelState::connecting, {}},
                    {TunnelState::authenticating, {}},
                    {TunnelState::disconnected,
                     Error(ErrorCode::auth_failed, "authentication failed for user " + profile_.username +
                                                       " on hub " + profile_.hub)}});
    } else if (host.size() > suffix.size() &&
               host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0) {
        run_script(
            {{TunnelState::connecting, {}},
             {TunnelState::reconnecting,
              Error(ErrorCode::connect_failed, "could not connect to " + host + ":" +
                                                   std::to_string(profile_.port) + ": connection refused")}});
    } else if (profile_.hub == "SLOW") {
        run_script({{TunnelState::connecting, {}}});
    } else {
        run_script({{TunnelState::connecting, {}},
                    {TunnelState::authenticating, {}},
                    {TunnelState::configuring, {}},
                    {TunnelState::established, {}}});
    }
}

void FakeTunnel::disconnect() {
    ++disconnect_calls;
    if (manual_)
        return;
    run_script({{TunnelState::disconnected, {}}});
}

TunnelSnapshot FakeTunnel::status() const {
    TunnelSnapshot out;
    out.state = state_;
    out.last_error = last_error_;
    if (state_ == TunnelState::established) {
        vpnse::TunnelNetwork network;
        const auto gateway = vpnse::IpAddress::v4(192, 168, 30, 1);
        network.address = vpnse::Cidr{vpnse::IpAddress::v4(192, 168, 30, 10), 24};
        network.gateway = gateway;
        network.dns = {gateway};
        for (const auto& text : profile_.include_routes)
            if (auto cidr = vpnse::Cidr::parse(text))
                network.routes.push_back({*cidr, gateway});
        out.network = network;
        const auto uptime = std::chrono::steady_clock::now() - established_at_;
        out.stats.uptime = std::chrono::duration_cast<std::chrono::seconds>(uptime);
        out.stats.bytes_in = 3'400'000;
        out.stats.bytes_out = 1'200'000;
        out.stats.packets_in = 2400;
        out.stats.packets_out = 1100;
        out.stats.connections = profile_.max_connections;
        out.stats.session_name = "SID-" + profile_.username + "-1";
    }
    return out;
}

std::unique_ptr<TunnelHandle> FakeTunnelFactory::create(const vpnse::Profile& profile,
                                                        TunnelObserver& observer) {
    auto tunnel = std::make_unique<FakeTunnel>(io_, profile, observer, manual_, step_, live_count_);
    created_.emplace_back(profile.name, tunnel.get());
    return tunnel;
}

FakeTunnel* FakeTunnelFactory::last(const std::string& name) const {
    for (auto it = created_.rbegin(); it != created_.rend(); ++it)
        if (it->first == name)
            return it->second;
    return nullptr;
}

}  // namespace vpnsed::service
