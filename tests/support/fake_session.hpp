#pragma once
// A fake transport for vpnse::Client (transport/session.hpp): the test drives the session's events
// (established, frames from the hub, lost) and sees the frames the client queued. It keeps the
// contract of a real one: alive through each callback, silent once stopped.
#include <memory>
#include <string>
#include <vector>

#include "transport/session.hpp"

namespace test_support {

using vpnse::Bytes;
using vpnse::ByteSpan;
using vpnse::Error;
namespace transport = vpnse::transport;

// What the fake sessions of one client share with the test.
struct FakeHub {
    std::vector<std::weak_ptr<class FakeSession>> sessions;
    std::vector<Bytes> sent;                                      // frames the client queued for the hub
    std::vector<transport::SessionSettings> settings;             // what each session was created with
    std::array<std::uint8_t, 32> server_cert_sha256{0xab, 0xcd};  // reported by each established session
};

class FakeSession final : public transport::Session, public std::enable_shared_from_this<FakeSession> {
  public:
    explicit FakeSession(FakeHub& hub) : hub_(hub) {}
    void start(transport::SessionCallbacks callbacks) override { callbacks_ = std::move(callbacks); }
    bool send_frame(ByteSpan frame) override {
        if (stopped_)
            return false;
        hub_.sent.emplace_back(frame.begin(), frame.end());
        return true;
    }
    void stop() override { stopped_ = true; }
    transport::OpenConnections open_connections() const override {
        return stopped_ ? transport::OpenConnections{} : transport::OpenConnections{1, 1, 1};
    }
    std::uint64_t dropped_frames() const override { return 0; }

    // The transport's side of the contract: alive through each callback, silent once stopped.
    void establish(std::string message = {}) {
        const auto self = shared_from_this();
        if (!stopped_ && callbacks_.on_authenticating)
            callbacks_.on_authenticating();
        transport::SessionInfo info;
        info.welcome.session_name = "SID-TEST-1";
        info.welcome.message = std::move(message);
        info.hello.server_str = "fake";
        info.server = asio::ip::tcp::endpoint(asio::ip::make_address_v4("192.0.2.1"), 443);
        info.server_cert_sha256 = hub_.server_cert_sha256;
        if (!stopped_ && callbacks_.on_established)
            callbacks_.on_established(info);
    }
    void deliver(const std::vector<Bytes>& frames) {
        const auto self = shared_from_this();
        for (const auto& frame : frames) {
            if (stopped_)
                return;
            callbacks_.on_frame(frame);
        }
    }
    void lose(Error reason) {
        const auto self = shared_from_this();
        if (stopped_)
            return;
        stopped_ = true;
        callbacks_.on_lost(reason);
    }
    bool stopped() const { return stopped_; }

  private:
    FakeHub& hub_;
    transport::SessionCallbacks callbacks_;
    bool stopped_ = false;
};

class FakeSessionFactory final : public transport::SessionFactory {
  public:
    explicit FakeSessionFactory(FakeHub& hub) : hub_(hub) {}
    std::shared_ptr<transport::Session> create(asio::io_context&, std::shared_ptr<vpnse::tls::TlsContext>,
                                               transport::SessionSettings settings, vpnse::RandomSource&,
                                               vpnse::Logger) override {
        hub_.settings.push_back(std::move(settings));
        auto session = std::make_shared<FakeSession>(hub_);
        hub_.sessions.push_back(session);
        return session;
    }

  private:
    FakeHub& hub_;
};

}  // namespace test_support
