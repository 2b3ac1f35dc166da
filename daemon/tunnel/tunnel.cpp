#include "tunnel/tunnel.hpp"

#include <asio/post.hpp>

#include "tunnel/server_trust.hpp"

namespace vpnsed::tunnel {
namespace {

using vpnse::Error;
using vpnse::ErrorCode;
namespace platform = vpnse::platform;

// Whether two leases configure the host the same way (a renewal only moves the lease's end).
bool same_host_configuration(vpnse::TunnelNetwork a, const vpnse::TunnelNetwork& b) {
    a.lease_time = b.lease_time;
    return a == b;
}

vpnse::Result<std::vector<platform::Cidr>> parse_cidrs(const std::vector<std::string>& texts,
                                                       const char* key) {
    std::vector<platform::Cidr> out;
    for (const auto& text : texts) {
        auto cidr = platform::Cidr::parse(text);
        if (!cidr)
            return Error(ErrorCode::config_invalid, std::string(key) + ": " + cidr.error().message());
        out.push_back(*cidr);
    }
    return out;
}

}  // namespace

std::string interface_name_for(const std::string& profile_name) {
    return "vse-" + profile_name.substr(0, 11);
}

std::array<std::uint8_t, 6> stable_mac_for(const std::string& machine_id, const std::string& profile_name) {
    // FNV-1a: stable across builds and platforms, unlike std::hash.
    std::uint64_t hash = 0xcbf29ce484222325ull;
    for (char c : machine_id + "/vpnse/" + profile_name) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ull;
    }
    std::array<std::uint8_t, 6> mac{0x5e};  // locally administered unicast, like the official client
    for (int i = 1; i < 6; ++i)
        mac[i] = static_cast<std::uint8_t>(hash >> (8 * i));
    return mac;
}

Tunnel::Tunnel(asio::io_context& io, const vpnse::Profile& profile, service::TunnelObserver& observer,
               TunnelParts parts)
    : io_(io),
      profile_(profile),
      observer_(observer),
      parts_(std::move(parts)),
      logger_(parts_.log_sink, "tunnel." + profile.name, parts_.settings.log_level) {}

Tunnel::~Tunnel() {
    *alive_ = false;
    client_.reset();  // closes the session cleanly; no callback after this
    teardown_host(true);
}

void Tunnel::connect() {
    // The service expects no observer call before connect() returns (service/tunnel_factory.hpp).
    asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_)] {
        if (alive.expired())
            return;
        // Trust on first use re-reads what is recorded at each connect, so deleting the file is enough
        // to trust a replaced certificate.
        if (client_ && profile_.tls_verify == vpnse::TlsVerify::tofu &&
            client_->state() == vpnse::TunnelState::disconnected)
            client_.reset();
        if (!client_) {
            if (auto status = create_client(); !status)
                return observer_.on_state(vpnse::TunnelState::disconnected, status.error());
        }
        host_error_ = Error{};
        client_->connect();
    });
}

vpnse::Status Tunnel::trust_on_first_use(vpnse::ClientCallbacks& callbacks, vpnse::ClientOptions& options) {
    const ServerTrust trust(parts_.settings.state_dir, profile_.name);
    auto recorded = trust.load();
    if (!recorded)
        return std::move(recorded).error();
    options.trusted_server_sha256 = *recorded;
    callbacks.on_server_trusted = [this, trust](const std::array<std::uint8_t, 32>& sha256) {
        // A failed write only costs the pin across daemon restarts; this Client keeps requiring it.
        if (auto status = trust.save(sha256); !status)
            logger_.warn("cannot record the server certificate trusted on first use",
                         {{"reason", status.error().to_string()}});
        else
            logger_.info("recorded the server certificate trusted on first use",
                         {{"path", trust.path().string()}});
    };
    return {};
}

vpnse::Status Tunnel::create_client() {
    vpnse::ClientCallbacks callbacks;
    callbacks.on_state = [this](vpnse::TunnelState s, const Error& e) { on_state(s, e); };
    callbacks.on_network = [this](const vpnse::TunnelNetwork& n) { on_network(n); };
    callbacks.on_packet = [this](std::span<const std::uint8_t> packet) {
        if (device_)
            device_->write(packet);
    };
    callbacks.on_server_message = [this](std::string_view message) {
        logger_.info("message from the hub", {{"message", std::string(message)}});
    };
    vpnse::ClientOptions options;
    options.log_sink = parts_.log_sink;
    options.log_level = parts_.settings.log_level;
    if (profile_.mac.empty())
        options.mac = stable_mac_for(parts_.machine_id, profile_.name);
    if (profile_.route_mode == vpnse::RouteMode::full && !parts_.network_owner) {
        options.protect_socket = [&network = parts_.network](vpnse::NativeSocket socket) {
            return network.protect_socket(socket);
        };
    }
    options.host_name = parts_.host_name;
    options.session_factory = parts_.sessions;
    if (profile_.tls_verify == vpnse::TlsVerify::tofu) {
        if (auto status = trust_on_first_use(callbacks, options); !status)
            return status;
    }
    client_ = std::make_unique<vpnse::Client>(io_, profile_, std::move(callbacks), std::move(options));
    return {};
}

void Tunnel::disconnect() {
    asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_)] {
        if (alive.expired())
            return;
        if (client_ && client_->state() != vpnse::TunnelState::disconnected) {
            client_->disconnect();  // reports disconnected through on_state
        } else {
            teardown_host(true);
            observer_.on_state(vpnse::TunnelState::disconnected, Error{});
        }
    });
}

service::TunnelSnapshot Tunnel::status() const {
    service::TunnelSnapshot snapshot;
    if (!client_)
        return snapshot;
    snapshot.state = client_->state();
    snapshot.last_error = host_error_ ? host_error_ : client_->last_error();
    snapshot.network = client_->network();
    snapshot.stats = client_->stats();
    return snapshot;
}

void Tunnel::on_state(vpnse::TunnelState state, const Error& error) {
    if (state == vpnse::TunnelState::disconnected) {
        // Keep a kill switch in place when the session died on its own: fail closed. An explicit
        // disconnect (error ok) lifts it.
        teardown_host(!error);
    }
    observer_.on_state(state, host_error_ ? host_error_ : error);
}

void Tunnel::on_network(const vpnse::TunnelNetwork& network) {
    if (applied_ && same_host_configuration(*applied_, network))
        return;  // a renewal with the same lease
    if (auto status = configure_host(network); !status) {
        host_error_ = status.error();
        logger_.error("cannot configure the tunnel on this host", {{"error", host_error_.to_string()}});
        client_->disconnect();
    }
}

vpnse::Status Tunnel::configure_host(const vpnse::TunnelNetwork& network) {
    if (!device_) {
        if (auto opened = open_device(); !opened)
            return opened;
    }
    if (!parts_.network_owner)
        return apply_network(network);
    auto settings = network_settings(network);
    if (!settings)
        return std::move(settings).error();
    parts_.network_owner(NetworkReport{profile_.name, device_->name(), device_->ifindex(), network,
                                       settings->server, settings->full_tunnel});
    applied_ = network;
    return {};
}

vpnse::Status Tunnel::open_device() {
    auto device = parts_.devices.open(
        io_, {interface_name_for(profile_.name), profile_.mtu, false, parts_.settings.tun_offload},
        logger_.child("device"));
    if (!device)
        return std::move(device).error();
    device_ = std::move(device).value();
    device_->start([this](std::span<const std::uint8_t> packet) {
        if (client_)
            client_->send_packet(packet);
    });
    return {};
}

vpnse::Result<platform::TunnelNetworkSettings> Tunnel::network_settings(const vpnse::TunnelNetwork& network) {
    platform::TunnelNetworkSettings net;
    net.tunnel_id = profile_.name;
    net.ifname = device_->name();
    net.ifindex = device_->ifindex();
    net.mtu = profile_.mtu;
    net.addresses.push_back(network.address);
    // The kernel gives the link its own fe80:: address.
    const auto link_local = *platform::Cidr::parse("fe80::/10");
    for (const auto& v6 : network.ipv6_addresses)
        if (!v6.address.is_v4() && !link_local.contains(v6.address))
            net.addresses.push_back(v6);
    net.full_tunnel = profile_.route_mode == vpnse::RouteMode::full;
    for (const auto& route : network.routes)
        net.routes.push_back(route.destination);
    auto include = parse_cidrs(profile_.include_routes, "network.include");
    if (!include)
        return std::move(include).error();
    net.routes.insert(net.routes.end(), include->begin(), include->end());
    auto exclude = parse_cidrs(profile_.exclude_routes, "network.exclude");
    if (!exclude)
        return std::move(exclude).error();
    net.exclude = std::move(exclude).value();
    const auto stats = client_->stats();
    auto server = platform::IpAddress::parse(stats.server_address);
    if (!server)
        return Error(ErrorCode::internal, "unknown server address '" + stats.server_address + "'");
    // Through a proxy this is the proxy: the connection the tunnel must not swallow.
    net.server =
        platform::ServerEndpoint{*server, stats.server_port != 0 ? stats.server_port : profile_.port};
    return net;
}

vpnse::Status Tunnel::apply_network(const vpnse::TunnelNetwork& network) {
    // The lease changed: take the old configuration away before putting the new one in place.
    remove_network();
    auto net = network_settings(network);
    if (!net)
        return std::move(net).error();
    net->route_metric = parts_.metric_slots.acquire(profile_.name);
    auto plan = parts_.network.plan(*net);
    if (!plan)
        return std::move(plan).error();

    platform::DnsSettings dns_settings;
    const bool want_dns =
        profile_.dns && !network.dns.empty() && parts_.settings.dns_backend != settings::DnsBackend::none;
    if (want_dns) {
        dns_settings.ifname = device_->name();
        dns_settings.ifindex = device_->ifindex();
        dns_settings.servers = network.dns;
        if (!network.domain.empty())
            dns_settings.search_domains.push_back(network.domain);
        for (const auto& d : network.search_domains)
            dns_settings.search_domains.push_back(d);
        dns_settings.default_route = net->full_tunnel;
        if (net->full_tunnel)
            dns_settings.routing_domains.push_back(".");
        if (!dns_) {
            auto dns = parts_.make_dns(profile_.name);
            if (!dns)
                return std::move(dns).error();
            dns_ = std::move(dns).value();
        }
    }

    // Fail-closed blocking only makes sense when everything is meant to go through the tunnel.
    const bool kill_switch_wanted = profile_.kill_switch && net->full_tunnel;
    platform::KillSwitchSettings kill_settings{profile_.name, device_->name(), net->server, net->exclude};
    platform::JournalEntry entry;
    entry.tunnel_id = profile_.name;
    entry.ifname = device_->name();
    entry.network = *plan;
    if (want_dns)
        entry.dns = dns_->describe(dns_settings);
    if (kill_switch_wanted)
        entry.kill_switch = parts_.kill_switch.describe(kill_settings);
    if (auto status = parts_.journal.write(entry); !status)
        return status;

    if (kill_switch_wanted) {
        if (auto status = parts_.kill_switch.engage(kill_settings); !status)
            return status;
        kill_switch_ = entry.kill_switch;
    }
    if (auto status = parts_.network.apply(*plan); !status)
        return status;
    plan_ = std::move(plan).value();
    if (want_dns) {
        if (auto status = dns_->apply(dns_settings); !status)
            logger_.warn("could not set DNS for the tunnel", {{"error", status.error().to_string()}});
    }
    applied_ = network;
    watch_network();
    logger_.info("tunnel configured", {{"interface", device_->name()},
                                       {"address", network.address.to_string()},
                                       {"mode", net->full_tunnel ? "full" : "split"}});
    return {};
}

void Tunnel::watch_network() {
    if (watch_ || !parts_.watch)
        return;
    platform::NetworkWatchCallbacks callbacks;
    callbacks.on_removal = [this] { reconcile(); };
    callbacks.on_uplink_change = [this] {
        reconcile();
        if (client_)
            client_->reconnect_now("an uplink address, link or default route changed");
    };
    if (dns_) {
        // resolv.conf is the host's one file: DHCP clients and network managers rewrite it.
        callbacks.dns_file = dns_->watched_file();
        callbacks.on_dns_file_change = [this] {
            if (!dns_)
                return;
            if (auto restored = dns_->reassert(); !restored)
                logger_.warn("could not put the tunnel's DNS back",
                             {{"error", restored.error().to_string()}});
        };
    }
    auto watch = parts_.watch(io_, device_->ifindex(), std::move(callbacks), logger_.child("watch"));
    if (!watch) {
        logger_.warn("cannot watch routes; removed routes will not be put back",
                     {{"error", watch.error().to_string()}});
        return;
    }
    watch_ = std::move(watch).value();
}

void Tunnel::reconcile() {
    if (!plan_)
        return;
    if (auto restored = parts_.network.restore(*plan_); !restored)
        logger_.warn("could not restore tunnel routes", {{"error", restored.error().to_string()}});
}

// The kill switch this profile's journal entry names although no Tunnel engaged it: kept, fail-closed,
// across a daemon crash (platform recover_stale). The explicit disconnect that tears this tunnel down
// lifts it too.
std::optional<platform::KillSwitchRecord> Tunnel::kept_kill_switch() const {
    auto entries = parts_.journal.load_all();
    if (!entries)
        return std::nullopt;
    for (auto& entry : *entries) {
        if (entry.tunnel_id == profile_.name && entry.kill_switch)
            return entry.kill_switch;
    }
    return std::nullopt;
}

// Takes the tunnel's DNS and routes off the host (the device and the kill switch stay).
void Tunnel::remove_network() {
    if (dns_) {
        if (auto status = dns_->revert(); !status)
            logger_.warn("could not restore DNS", {{"error", status.error().to_string()}});
    }
    if (plan_) {
        if (auto status = parts_.network.remove(*plan_); !status)
            logger_.warn("could not remove routes", {{"error", status.error().to_string()}});
        plan_.reset();
    }
}

void Tunnel::teardown_host(bool release_kill_switch) {
    watch_.reset();  // our own removals below are not someone else's
    remove_network();
    dns_.reset();
    parts_.metric_slots.release(profile_.name);
    if (device_) {
        device_->close();
        device_.reset();
    }
    if (!kill_switch_ && release_kill_switch && !parts_.network_owner)
        kill_switch_ = kept_kill_switch();
    if (kill_switch_ && release_kill_switch) {
        if (auto status = parts_.kill_switch.release(*kill_switch_); !status)
            logger_.warn("could not lift the kill switch", {{"error", status.error().to_string()}});
        kill_switch_.reset();
    }
    // A reporting tunnel journals nothing; the journal (and a daemon's entry of the same name) is not its
    // own.
    if (!kill_switch_ && !parts_.network_owner) {
        if (auto status = parts_.journal.erase(profile_.name); !status)
            logger_.warn("could not erase the journal entry", {{"error", status.error().to_string()}});
    }
    applied_.reset();
}

}  // namespace vpnsed::tunnel
