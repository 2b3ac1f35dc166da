#include "vpnse/client.hpp"

#include <asio/post.hpp>
#include <asio/steady_timer.hpp>

#include "core/file.hpp"
#include "core/random.hpp"
#include "ether/virtual_ethernet.hpp"
#include "proto/password.hpp"
#include "session/backoff.hpp"
#include "tls/client_credential.hpp"
#include "transport/session.hpp"

namespace vpnse {
namespace {

// How long the hub may take to hand out a DHCP lease before the attempt counts as failed.
constexpr auto kDhcpTimeout = std::chrono::seconds(30);

// Errors that another attempt cannot fix: reconnecting would only hammer the server.
bool is_permanent(ErrorCode code) {
    switch (code) {
        case ErrorCode::auth_failed:
        case ErrorCode::hub_not_found:
        case ErrorCode::authtype_not_supported:
        case ErrorCode::access_denied:
        case ErrorCode::cert_not_trusted:
        case ErrorCode::cert_pin_mismatch:
        case ErrorCode::config_invalid:
        case ErrorCode::version_invalid:
        case ErrorCode::client_id_required:
        case ErrorCode::monitor_mode_denied:
        case ErrorCode::bridge_mode_denied:
        case ErrorCode::null_password_local_only:
        case ErrorCode::ip_address_denied:
        case ErrorCode::not_supported:
        case ErrorCode::invalid_argument:
        // The hub's policy ended the session on purpose (softether-protocol-advanced.md 3.8, 7.1).
        case ErrorCode::auto_disconnected:
            return true;
        default:
            return false;
    }
}

// `trusted`: with tls.verify = "tofu", the fingerprint recorded on first use, if there is one yet.
tls::TlsSettings tls_settings_for(const Profile& profile,
                                  const std::optional<std::array<std::uint8_t, 32>>& trusted) {
    tls::TlsSettings settings;
    switch (profile.tls_verify) {
        case TlsVerify::ca_file:
            settings.verify = tls::VerifyMode::ca_file;
            break;
        case TlsVerify::fingerprint:
            settings.verify = tls::VerifyMode::fingerprint;
            break;
        case TlsVerify::insecure:
            settings.verify = tls::VerifyMode::insecure;
            break;
        case TlsVerify::tofu:
            settings.verify = trusted ? tls::VerifyMode::fingerprint : tls::VerifyMode::first_use;
            break;
    }
    settings.ca_file = profile.ca_file;
    settings.pinned_sha256 =
        profile.tls_verify == TlsVerify::tofu && trusted ? *trusted : profile.pinned_sha256;
    settings.server_name = profile.sni.empty() ? profile.host : profile.sni;
    settings.check_hostname = profile.check_hostname;
    return settings;
}

// Certificates and keys are a few KiB; the limit only stops a wrong path from reading forever.
constexpr std::size_t kMaxCredentialFileBytes = 1024 * 1024;

// The profile's bytes (C API) or its files, read at each attempt so a renewed certificate is picked up.
Result<std::string> credential_bytes(const std::string& data, const std::string& path,
                                     const std::string& key) {
    if (!data.empty())
        return data;
    auto text = read_small_file(path, kMaxCredentialFileBytes);
    if (!text)
        return Error(ErrorCode::config_invalid, key + " " + path + ": " + text.error().message());
    return text;
}

Result<std::shared_ptr<const tls::ClientCredential>> load_client_credential(const Profile& profile) {
    auto certificate = credential_bytes(profile.cert_data, profile.cert_file, "auth.cert_file");
    if (!certificate)
        return std::move(certificate).error();
    auto key = credential_bytes(profile.key_data, profile.key_file, "auth.key_file");
    if (!key)
        return std::move(key).error();
    const std::string cert_name = profile.cert_data.empty() ? "auth.cert_file " + profile.cert_file
                                                            : std::string("the client certificate");
    const std::string key_name = profile.key_data.empty() ? "auth.key_file " + profile.key_file
                                                          : std::string("the client private key");
    return tls::ClientCredential::load(as_bytes(*certificate), as_bytes(*key), cert_name, key_name);
}

TunnelNetwork to_tunnel_network(const ether::NetworkConfig& config) {
    TunnelNetwork network;
    network.address = Cidr{ether::to_ip_address(config.address), config.prefix_length};
    // With pushed classless routes RFC 3442 voids option 3 (softether-protocol-advanced.md 4.1); the
    // endpoint still forwards off-link packets to that router, so report it as the gateway.
    const auto& gateway = config.gateway.is_zero() ? config.router : config.gateway;
    if (!gateway.is_zero())
        network.gateway = ether::to_ip_address(gateway);
    for (const auto& dns : config.dns)
        network.dns.push_back(ether::to_ip_address(dns));
    network.domain = config.domain;
    network.search_domains = config.search_domains;
    for (const auto& route : config.routes) {
        Route out{Cidr{ether::to_ip_address(route.destination), route.prefix_length}, std::nullopt};
        if (!route.gateway.is_zero())
            out.gateway = ether::to_ip_address(route.gateway);
        network.routes.push_back(out);
    }
    network.mtu = config.mtu;
    network.lease_time = config.lease_time;
    if (!config.ipv6_link_local.is_zero())
        network.ipv6_addresses.push_back(Cidr{ether::to_ip_address(config.ipv6_link_local), 64});
    if (!config.ipv6_address.is_zero())
        network.ipv6_addresses.push_back(
            Cidr{ether::to_ip_address(config.ipv6_address), config.ipv6_prefix_length});
    for (const auto& dns : config.ipv6_dns)
        network.ipv6_dns.push_back(ether::to_ip_address(dns));
    return network;
}

}  // namespace

// Every handler on the io_context holds the Impl through a weak_ptr and locks it for its run, and every
// host callback is followed by a check of closed_: the host may destroy the Client from inside any of
// them (Client::~Client closes the Impl; the last reference goes when the handler on the stack returns).
class Client::Impl final : public ether::EndpointHost, public std::enable_shared_from_this<Impl> {
  public:
    Impl(asio::io_context& io, Profile profile, ClientCallbacks callbacks, ClientOptions options)
        : io_(io),
          profile_(std::move(profile)),
          callbacks_(std::move(callbacks)),
          options_(std::move(options)),
          logger_(options_.log_sink, "vpnse." + profile_.name, options_.log_level),
          ether_timer_(io),
          retry_timer_(io),
          dhcp_timer_(io),
          backoff_(Duration(profile_.reconnect_initial_ms), Duration(profile_.reconnect_max_ms)) {
        if (std::all_of(options_.unique_id.begin(), options_.unique_id.end(),
                        [](auto b) { return b == 0; })) {
            rng_.fill(options_.unique_id);
        }
        mac_ = choose_mac();
        if (!options_.session_factory)
            options_.session_factory = transport::tcp_session_factory();
    }

    ~Impl() override { close(); }

    // The Client is going away: no callback from here on, everything closed cleanly.
    void close() {
        if (closed_)
            return;
        closed_ = true;
        want_connected_ = false;
        teardown_attempt();
        ether_timer_.cancel();
        retry_timer_.cancel();
        dhcp_timer_.cancel();
    }

    void connect() {
        if (closed_ || state_ != TunnelState::disconnected)
            return;
        want_connected_ = true;
        ever_established_ = false;
        backoff_.reset();
        stats_.reconnects = 0;
        attempt();
    }

    void disconnect() {
        if (closed_)
            return;
        want_connected_ = false;
        retry_timer_.cancel();
        if (ether_ && runner_ && ether_->configured())
            ether_->release(Clock::now());
        teardown_attempt();
        last_error_ = Error{};
        set_state(TunnelState::disconnected);
    }

    void reconnect_now(std::string_view reason) {
        if (closed_ || !want_connected_ || !runner_ || !ever_established_)
            return;
        logger_.info("network changed; reconnecting now", {{"reason", std::string(reason)}});
        backoff_.reset();
        attempt_failed(Error(ErrorCode::disconnected, "network changed: " + std::string(reason)));
    }

    void send_packet(std::span<const std::uint8_t> packet) {
        if (closed_ || state_ != TunnelState::established || !ether_) {
            ++stats_.dropped;
            return;
        }
        ++stats_.packets_out;
        stats_.bytes_out += packet.size();
        const auto ether = ether_;  // the endpoint lives until it returns, whatever a callback does
        ether->send_packet(packet, Clock::now());
        arm_ether_timer_soon();
    }

    // ether::EndpointHost
    void send_frame(ByteSpan frame) override {
        if (runner_ && runner_->send_frame(frame)) {
            ++stats_.frames_out;
        } else {
            ++stats_.dropped;
        }
    }
    void deliver_packet(ByteSpan packet) override {
        ++stats_.packets_in;
        stats_.bytes_in += packet.size();
        if (!closed_ && callbacks_.on_packet)
            callbacks_.on_packet(packet);
    }
    void on_config_changed(const ether::NetworkConfig& config) override {
        // IPv6 link-local comes up before DHCP answers; the tunnel is usable only with an IPv4 lease.
        if (!config.has_ipv4()) {
            if (network_ && state_ == TunnelState::established)
                network_ = to_tunnel_network(config);
            return;
        }
        network_ = to_tunnel_network(config);
        logger_.info("network configured",
                     {{"address", network_->address.to_string()},
                      {"gateway", network_->gateway ? network_->gateway->to_string() : std::string()}});
        if (!closed_ && callbacks_.on_network)
            callbacks_.on_network(*network_);
        if (!closed_ && state_ == TunnelState::configuring) {
            dhcp_timer_.cancel();
            established_at_ = Clock::now();
            ever_established_ = true;
            backoff_.reset();
            failed_attempts_ = 0;
            set_state(TunnelState::established);
        }
    }
    void on_lease_lost() override { logger_.warn("DHCP lease lost; asking again"); }

    TunnelState state() const { return state_; }
    const Error& last_error() const { return last_error_; }
    const Profile& profile() const { return profile_; }
    std::optional<TunnelNetwork> network() const { return network_; }

    ClientStats stats() const {
        ClientStats out = stats_;
        if (runner_) {
            const auto open = runner_->open_connections();
            out.connections = open.total;
            out.upload_connections = open.upload;
            out.download_connections = open.download;
        }
        if (state_ == TunnelState::established) {
            out.uptime = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - established_at_);
        }
        if (runner_) {
            out.dropped += runner_->dropped_frames();
            out.udp = runner_->udp_status();
        }
        return out;
    }

  private:
    std::string host_name() const { return options_.host_name.empty() ? "vpnse" : options_.host_name; }

    std::array<std::uint8_t, 6> choose_mac() {
        if (std::any_of(options_.mac.begin(), options_.mac.end(), [](auto b) { return b != 0; }))
            return options_.mac;
        if (!profile_.mac.empty()) {
            if (auto parsed = ether::MacAddress::parse(profile_.mac))
                return parsed->bytes;
            logger_.warn("profile MAC address is invalid; using a random one", {{"mac", profile_.mac}});
        }
        return ether::generate_mac(rng_).bytes;
    }

    // A session callback that runs `body` with the Impl held alive, if the Client is still open and
    // `session` is still its current one.
    template <typename Body>
    auto guarded(std::weak_ptr<transport::Session> session, Body body) {
        return [weak = weak_from_this(), session = std::move(session), body](auto&&... args) {
            auto self = weak.lock();
            if (!self || self->closed_ || session.expired() || self->runner_ != session.lock())
                return;
            body(*self, std::forward<decltype(args)>(args)...);
        };
    }

    void attempt() {
        set_state(TunnelState::connecting);
        if (closed_ || state_ != TunnelState::connecting)
            return;  // the host closed or disconnected the client from its state callback
        if (!tls_) {
            auto context = tls::TlsContext::create(tls_settings_for(profile_, options_.trusted_server_sha256),
                                                   logger_.child("tls"));
            if (!context)
                return attempt_failed(std::move(context).error());
            tls_ = std::move(context).value();
        }
        auto settings = session_settings();
        if (!settings)
            return attempt_failed(std::move(settings).error());
        runner_ = options_.session_factory->create(io_, tls_, std::move(settings).value(), rng_,
                                                   logger_.child("session"));
        // Each callback checks that it belongs to the current session: a callback of a session that
        // was replaced meanwhile has nothing to say any more.
        const std::weak_ptr<transport::Session> session = runner_;
        transport::SessionCallbacks callbacks;
        callbacks.on_authenticating =
            guarded(session, [](Impl& self) { self.set_state(TunnelState::authenticating); });
        callbacks.on_established =
            guarded(session, [](Impl& self, const transport::SessionInfo& info) { self.on_session(info); });
        callbacks.on_frame = guarded(session, [](Impl& self, ByteSpan frame) { self.on_hub_frame(frame); });
        callbacks.on_lost =
            guarded(session, [](Impl& self, const Error& reason) { self.attempt_failed(reason); });
        runner_->start(std::move(callbacks));
    }

    void on_hub_frame(ByteSpan frame) {
        ++stats_.frames_in;
        const auto ether = ether_;  // the endpoint lives until it returns, whatever a callback does
        if (!ether)
            return;
        ether->handle_frame(frame, Clock::now());
        arm_ether_timer_soon();
    }

    Result<transport::SessionSettings> session_settings() {
        transport::SessionSettings settings;
        settings.host = profile_.host;
        settings.port = profile_.port;
        settings.allow_unencrypted = profile_.allow_unencrypted;
        settings.protect_socket = options_.protect_socket;
        if (profile_.proxy_type != ProxyType::none) {
            const auto type =
                profile_.proxy_type == ProxyType::socks5 ? proto::ProxyType::socks5 : proto::ProxyType::http;
            settings.proxy = proto::ProxyServer{type, profile_.proxy_host, profile_.proxy_port,
                                                profile_.proxy_username, profile_.proxy_password};
        }
        auto& login = settings.login;
        login.hub = profile_.hub;
        login.username = profile_.username;
        switch (profile_.auth_method) {
            case AuthMethod::anonymous:
                login.auth = proto::AuthType::anonymous;
                break;
            case AuthMethod::password:
                login.auth = proto::AuthType::password;
                login.password_hash = proto::hash_password(profile_.username, profile_.password);
                break;
            case AuthMethod::password_hash:
                if (!profile_.password_hash)
                    return Error(ErrorCode::config_invalid, "auth.password_hash is missing");
                login.auth = proto::AuthType::password;
                login.password_hash = *profile_.password_hash;
                break;
            case AuthMethod::plain_password:
                login.auth = proto::AuthType::plain_password;
                login.plain_password = profile_.password;
                break;
            case AuthMethod::certificate: {
                auto credential = load_client_credential(profile_);
                if (!credential)
                    return std::move(credential).error();
                login.auth = proto::AuthType::certificate;
                login.certificate_der = (*credential)->certificate_der();
                login.sign_random = [credential = std::move(credential).value()](ByteSpan random) {
                    return credential->sign_random(random);
                };
                break;
            }
        }
        login.max_connection = std::clamp<std::uint32_t>(profile_.max_connections, 1, 32);
        login.use_encrypt = profile_.use_encrypt;
        login.use_compress = profile_.compression;
        login.half_connection = profile_.half_connection;
        settings.udp_acceleration = profile_.udp_acceleration;
        login.identity.unique_id = options_.unique_id;
        login.identity.hostname = host_name();
        return settings;
    }

    // The first session's certificate becomes the pin: reconnects of this Client require it, and the host
    // records it for the next Client. Only after the login succeeded, so a server that refuses us does
    // not get trusted.
    void trust_on_first_use(const std::array<std::uint8_t, 32>& sha256) {
        options_.trusted_server_sha256 = sha256;
        tls_.reset();  // the next attempt builds a context that pins it
        logger_.info("trusting the server certificate on first use", {{"sha256", to_hex(sha256)}});
        if (callbacks_.on_server_trusted)
            callbacks_.on_server_trusted(sha256);
    }

    void on_session(const transport::SessionInfo& info) {
        stats_.session_name = info.welcome.session_name;
        stats_.server_address = info.server.address().to_string();
        stats_.server_port = info.server.port();
        stats_.server_fingerprint = to_hex(info.server_cert_sha256);
        stats_.tls = info.tls;
        stats_.encrypted = info.welcome.use_encrypt;
        stats_.compressed = info.welcome.use_compress;
        stats_.half_connection = info.welcome.half_connection;
        stats_.server_version = info.hello.server_str + " " + std::to_string(info.hello.version / 100) + "." +
                                std::to_string(info.hello.version % 100) + " build " +
                                std::to_string(info.hello.build);
        if (profile_.tls_verify == TlsVerify::tofu && !options_.trusted_server_sha256) {
            trust_on_first_use(info.server_cert_sha256);
            if (closed_ || !runner_)
                return;
        }
        if (!info.welcome.message.empty() && callbacks_.on_server_message) {
            callbacks_.on_server_message(info.welcome.message);
            if (closed_ || !runner_)
                return;
        }
        set_state(TunnelState::configuring);
        if (closed_ || state_ != TunnelState::configuring)
            return;
        ether::EndpointOptions options;
        options.mac.bytes = mac_;
        options.use_dhcp = true;
        options.hostname = host_name();
        options.enable_ipv6 = profile_.ipv6;
        const auto ether = std::make_shared<ether::VirtualEthernet>(options, *this, rng_);
        ether_ = ether;
        ether->start(Clock::now());
        arm_ether_timer();
        dhcp_timer_.expires_after(kDhcpTimeout);
        dhcp_timer_.async_wait([weak = weak_from_this()](const asio::error_code& ec) {
            auto self = weak.lock();
            if (ec || !self || self->closed_ || self->state_ != TunnelState::configuring)
                return;
            self->attempt_failed(Error(ErrorCode::timeout, "the hub gave no DHCP lease within 30 s"));
        });
    }

    // Packets come in bursts (one TUN wake-up, one TLS record): look at the endpoint's timers once per
    // burst, after it, not once per packet.
    void arm_ether_timer_soon() {
        if (ether_rearm_posted_)
            return;
        ether_rearm_posted_ = true;
        asio::post(io_, [weak = weak_from_this()] {
            auto self = weak.lock();
            if (!self)
                return;
            self->ether_rearm_posted_ = false;
            if (!self->closed_)
                self->arm_ether_timer();
        });
    }

    void arm_ether_timer() {
        if (!ether_)
            return;
        const auto deadline = ether_->next_deadline();
        if (!deadline)
            return;
        if (ether_timer_armed_ && *deadline >= ether_deadline_)
            return;
        ether_deadline_ = *deadline;
        ether_timer_armed_ = true;
        ether_timer_.expires_at(*deadline);
        ether_timer_.async_wait([weak = weak_from_this()](const asio::error_code& ec) {
            auto self = weak.lock();
            if (ec || !self || self->closed_)
                return;
            self->ether_timer_armed_ = false;
            const auto ether = self->ether_;
            if (!ether)
                return;
            ether->handle_timeout(Clock::now());
            self->arm_ether_timer();
        });
    }

    void attempt_failed(const Error& given) {
        teardown_attempt();
        Error reason = given;
        if (reason.code() == ErrorCode::cert_pin_mismatch && profile_.tls_verify == TlsVerify::tofu)
            reason =
                Error(reason.code(), "the server certificate changed since it was trusted on first use: " +
                                         reason.message());
        last_error_ = reason;
        const bool retry =
            want_connected_ && ever_established_ && profile_.reconnect && !is_permanent(reason.code());
        const auto limit = profile_.reconnect_max_attempts;
        const bool gave_up = retry && limit != 0 && ++failed_attempts_ > limit;
        if (gave_up)
            last_error_ = reason =
                Error(reason.code(), reason.message() + " (gave up after " + std::to_string(limit) +
                                         " reconnect attempts: reconnect.max_attempts)");
        if (!retry || gave_up) {
            want_connected_ = false;
            logger_.warn("disconnected", {{"reason", reason.to_string()}});
            set_state(TunnelState::disconnected);
            return;
        }
        const auto delay = backoff_.next(rng_);
        ++stats_.reconnects;
        logger_.info("reconnecting",
                     {{"reason", reason.to_string()}, {"delay_ms", std::to_string(delay.count())}});
        set_state(TunnelState::reconnecting);
        if (closed_ || state_ != TunnelState::reconnecting)
            return;
        retry_timer_.expires_after(delay);
        retry_timer_.async_wait([weak = weak_from_this()](const asio::error_code& ec) {
            auto self = weak.lock();
            if (ec || !self || self->closed_ || !self->want_connected_ ||
                self->state_ != TunnelState::reconnecting)
                return;
            self->attempt();
        });
    }

    void teardown_attempt() {
        dhcp_timer_.cancel();
        ether_timer_.cancel();
        ether_timer_armed_ = false;
        if (runner_) {
            runner_->stop();
            runner_.reset();
        }
        if (ether_ && logger_.enabled(LogLevel::debug))
            log_endpoint_counters();
        ether_.reset();
        if (network_) {
            network_.reset();
        }
    }

    void log_endpoint_counters() {
        const auto& counters = ether_->counters();
        std::string drops;
        for (std::size_t i = 0; i < counters.dropped.size(); ++i) {
            if (counters.dropped[i] == 0)
                continue;
            drops += std::string(drops.empty() ? "" : ",") +
                     ether::to_string(static_cast<ether::DropReason>(i)) + ":" +
                     std::to_string(counters.dropped[i]);
        }
        logger_.debug("endpoint counters", {{"frames_in", std::to_string(counters.frames_in)},
                                            {"frames_out", std::to_string(counters.frames_out)},
                                            {"delivered", std::to_string(counters.packets_delivered)},
                                            {"sent", std::to_string(counters.packets_sent)},
                                            {"dropped", drops}});
    }

    void set_state(TunnelState state) {
        if (state == state_)
            return;
        state_ = state;
        logger_.debug("state", {{"state", std::string(tunnel_state_name(state))}});
        if (!closed_ && callbacks_.on_state)
            callbacks_.on_state(state_, last_error_);
    }

    asio::io_context& io_;
    Profile profile_;
    ClientCallbacks callbacks_;
    ClientOptions options_;
    Logger logger_;
    SystemRandom rng_;
    std::array<std::uint8_t, 6> mac_{};
    std::shared_ptr<tls::TlsContext> tls_;
    std::shared_ptr<transport::Session> runner_;
    std::shared_ptr<ether::VirtualEthernet> ether_;
    asio::steady_timer ether_timer_;
    asio::steady_timer retry_timer_;
    asio::steady_timer dhcp_timer_;
    TimePoint ether_deadline_{};
    bool ether_timer_armed_ = false;
    bool ether_rearm_posted_ = false;
    session::Backoff backoff_;
    bool closed_ = false;

    TunnelState state_ = TunnelState::disconnected;
    Error last_error_;
    std::optional<TunnelNetwork> network_;
    ClientStats stats_;
    TimePoint established_at_{};
    bool want_connected_ = false;
    bool ever_established_ = false;
    std::uint32_t failed_attempts_ = 0;  // in a row since the last established session
};

Client::Client(asio::io_context& io, Profile profile, ClientCallbacks callbacks, ClientOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(profile), std::move(callbacks), std::move(options))) {}
Client::~Client() {
    impl_->close();
}
// The calls that can lead into host callbacks hold the Impl, so a callback may destroy the Client.
void Client::connect() {
    const auto impl = impl_;
    impl->connect();
}
void Client::disconnect() {
    const auto impl = impl_;
    impl->disconnect();
}
void Client::reconnect_now(std::string_view reason) {
    const auto impl = impl_;
    impl->reconnect_now(reason);
}
TunnelState Client::state() const {
    return impl_->state();
}
const Error& Client::last_error() const {
    return impl_->last_error();
}
ClientStats Client::stats() const {
    return impl_->stats();
}
std::optional<TunnelNetwork> Client::network() const {
    return impl_->network();
}
const Profile& Client::profile() const {
    return impl_->profile();
}
void Client::send_packet(std::span<const std::uint8_t> ip_packet) {
    const auto impl = impl_;
    impl->send_packet(ip_packet);
}

}  // namespace vpnse
