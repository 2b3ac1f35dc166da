#include "tunnel/linux_tunnel.hpp"

#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <asio/post.hpp>
#include <cerrno>
#include <fstream>
#include <sstream>

namespace vpnsed::tunnel {
namespace {

using vpnse::Error;
using vpnse::ErrorCode;
namespace platform = vpnse::platform;

// Packets read from the TUN per wake-up before yielding to other work on the loop.
constexpr int kMaxPacketsPerWake = 64;
// With offloads one read can give ~45 segments: also stop after this many.
constexpr std::size_t kMaxSegmentsPerWake = 256;

// Whether two leases configure the host the same way (a renewal only moves the lease's end).
bool same_host_configuration(vpnse::TunnelNetwork a, const vpnse::TunnelNetwork& b) {
    a.lease_time = b.lease_time;
    return a == b;
}

}  // namespace

std::string interface_name_for(const std::string& profile_name) {
    return "vse-" + profile_name.substr(0, 11);
}

std::array<std::uint8_t, 6> stable_mac_for(const std::string& profile_name) {
    std::string machine_id;
    std::ifstream("/etc/machine-id") >> machine_id;
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

LinuxTunnel::LinuxTunnel(asio::io_context& io, const vpnse::Profile& profile,
                         service::TunnelObserver& observer, PlatformParts parts)
    : io_(io),
      profile_(profile),
      observer_(observer),
      parts_(parts),
      logger_(parts.log_sink, "tunnel." + profile.name, parts.settings.log_level),
      // An IPv6 super-packet may be 40 bytes more than 64 KiB.
      read_buffer_(platform::kVirtioNetHdrSize + platform::kMaxOffloadPacket + 40) {
    to_session_ = [this](std::span<const std::uint8_t> packet) {
        ++segments_this_wake_;
        if (client_)
            client_->send_packet(packet);
    };
    to_tun_ = [this](std::span<const std::uint8_t> output) { write_tun(output); };
}

LinuxTunnel::~LinuxTunnel() {
    *alive_ = false;
    client_.reset();  // closes the session cleanly; no callback after this
    teardown_host(true);
}

void LinuxTunnel::connect() {
    // The service expects no observer call before connect() returns (service/tunnel_factory.hpp).
    asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_)] {
        if (alive.expired())
            return;
        if (!client_) {
            vpnse::ClientCallbacks callbacks;
            callbacks.on_state = [this](vpnse::TunnelState s, const Error& e) { on_state(s, e); };
            callbacks.on_network = [this](const vpnse::TunnelNetwork& n) { on_network(n); };
            callbacks.on_packet = [this](std::span<const std::uint8_t> p) { on_packet(p); };
            callbacks.on_server_message = [this](std::string_view message) {
                logger_.info("message from the hub", {{"message", std::string(message)}});
            };
            vpnse::ClientOptions options;
            options.log_sink = parts_.log_sink;
            options.log_level = parts_.settings.log_level;
            options.mac =
                profile_.mac.empty() ? stable_mac_for(profile_.name) : std::array<std::uint8_t, 6>{};
            if (profile_.route_mode == vpnse::RouteMode::full) {
                options.protect_socket = [&network = parts_.network](vpnse::NativeSocket socket) {
                    return network.protect_socket(socket);
                };
            }
            options.host_name = platform::host_name();
            client_ = std::make_unique<vpnse::Client>(io_, profile_, std::move(callbacks), options);
        }
        host_error_ = Error{};
        client_->connect();
    });
}

void LinuxTunnel::disconnect() {
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

service::TunnelSnapshot LinuxTunnel::status() const {
    service::TunnelSnapshot snapshot;
    if (!client_)
        return snapshot;
    snapshot.state = client_->state();
    snapshot.last_error = host_error_ ? host_error_ : client_->last_error();
    snapshot.network = client_->network();
    snapshot.stats = client_->stats();
    return snapshot;
}

void LinuxTunnel::on_state(vpnse::TunnelState state, const Error& error) {
    if (state == vpnse::TunnelState::disconnected) {
        // Keep a kill switch in place when the session died on its own: fail closed. An explicit
        // disconnect (error ok) lifts it.
        teardown_host(!error);
    }
    observer_.on_state(state, host_error_ ? host_error_ : error);
}

void LinuxTunnel::on_network(const vpnse::TunnelNetwork& network) {
    if (applied_ && same_host_configuration(*applied_, network))
        return;  // a renewal with the same lease
    if (auto status = configure_host(network); !status) {
        host_error_ = status.error();
        logger_.error("cannot configure the tunnel on this host", {{"error", host_error_.to_string()}});
        client_->disconnect();
    }
}

vpnse::Status LinuxTunnel::configure_host(const vpnse::TunnelNetwork& network) {
    if (plan_) {
        // The lease changed: take the old configuration away before putting the new one in place.
        if (dns_)
            (void)dns_->revert();
        (void)parts_.network.remove(*plan_);
        plan_.reset();
    }
    if (!tun_) {
        auto tun = parts_.tun_factory.open(
            {interface_name_for(profile_.name), profile_.mtu, false, parts_.settings.tun_offload});
        if (!tun)
            return std::move(tun).error();
        tun_ = std::move(tun).value();
        if (tun_->offload()) {
            // Segments never exceed the MTU: the kernel sizes TSO/USO segments for the device.
            segment_buffer_.resize(std::max<std::size_t>(tun_->mtu(), 1500) + 256);
            write_batch_.set_coalesce(true);
        } else {
            logger_.info("TUN offloads not available; one packet per read and write",
                         {{"interface", tun_->name()}});
        }
        tun_stream_.emplace(io_, tun_->fd());
        read_tun();
    }

    platform::TunnelNetworkSettings net;
    net.tunnel_id = profile_.name;
    net.ifname = tun_->name();
    net.ifindex = tun_->ifindex();
    net.mtu = profile_.mtu;
    auto address = platform::Cidr::parse(network.address + "/" + std::to_string(network.prefix_length));
    if (!address)
        return std::move(address).error();
    net.addresses.push_back(*address);
    for (const auto& v6 : network.ipv6_addresses) {
        auto cidr = platform::Cidr::parse(v6);
        if (cidr && !cidr->address.is_v4() && v6.rfind("fe80", 0) != 0)
            net.addresses.push_back(*cidr);
    }
    net.full_tunnel = profile_.route_mode == vpnse::RouteMode::full;
    for (const auto& route : network.routes) {
        if (auto cidr = platform::Cidr::parse(route.destination))
            net.routes.push_back(*cidr);
    }
    for (const auto& text : profile_.include_routes) {
        auto cidr = platform::Cidr::parse(text);
        if (!cidr)
            return Error(ErrorCode::config_invalid, "network.include: " + cidr.error().message());
        net.routes.push_back(*cidr);
    }
    for (const auto& text : profile_.exclude_routes) {
        auto cidr = platform::Cidr::parse(text);
        if (!cidr)
            return Error(ErrorCode::config_invalid, "network.exclude: " + cidr.error().message());
        net.exclude.push_back(*cidr);
    }
    const auto stats = client_->stats();
    auto server = platform::IpAddress::parse(stats.server_address);
    if (!server)
        return Error(ErrorCode::internal, "unknown server address '" + stats.server_address + "'");
    net.server = platform::ServerEndpoint{*server, profile_.port};
    if (!net.full_tunnel)
        net.fwmark = 0;
    net.route_metric = parts_.metric_slots.acquire(profile_.name);

    auto plan = parts_.network.plan(net);
    if (!plan)
        return std::move(plan).error();

    platform::DnsSettings dns_settings;
    const bool want_dns =
        profile_.dns && !network.dns.empty() && parts_.settings.dns_backend != settings::DnsBackend::none;
    if (want_dns) {
        dns_settings.ifname = tun_->name();
        dns_settings.ifindex = tun_->ifindex();
        for (const auto& text : network.dns) {
            if (auto ip = platform::IpAddress::parse(text))
                dns_settings.servers.push_back(*ip);
        }
        if (!network.domain.empty())
            dns_settings.search_domains.push_back(network.domain);
        for (const auto& d : network.search_domains)
            dns_settings.search_domains.push_back(d);
        dns_settings.default_route = net.full_tunnel;
        if (net.full_tunnel)
            dns_settings.routing_domains.push_back(".");
        if (!dns_) {
            auto dns = parts_.make_dns(profile_.name);
            if (!dns)
                return std::move(dns).error();
            dns_ = std::move(dns).value();
        }
    }

    // Fail-closed blocking only makes sense when everything is meant to go through the tunnel.
    const bool kill_switch_wanted = profile_.kill_switch && net.full_tunnel;
    platform::KillSwitchSettings kill_settings{profile_.name, tun_->name(), net.server, net.exclude};
    platform::JournalEntry entry;
    entry.tunnel_id = profile_.name;
    entry.ifname = tun_->name();
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
        if (auto status = dns_->apply(dns_settings); !status) {
            logger_.warn("could not set DNS for the tunnel", {{"error", status.error().to_string()}});
        }
    }
    applied_ = network;
    if (!route_watch_) {
        route_watch_ = std::make_unique<platform::RouteWatch>(
            io_, tun_->ifindex(), [this] { reconcile(); },
            [this] {
                if (client_)
                    client_->reconnect_now("an uplink address or link went away");
            },
            logger_.child("watch"));
        if (auto status = route_watch_->start(); !status) {
            logger_.warn("cannot watch routes; removed routes will not be put back",
                         {{"error", status.error().to_string()}});
            route_watch_.reset();
        }
    }
    logger_.info("tunnel configured",
                 {{"interface", tun_->name()},
                  {"address", network.address + "/" + std::to_string(network.prefix_length)},
                  {"mode", net.full_tunnel ? "full" : "split"}});
    return {};
}

void LinuxTunnel::reconcile() {
    if (!plan_)
        return;
    auto restored = parts_.network.restore(*plan_);
    if (!restored) {
        logger_.warn("could not restore tunnel routes", {{"error", restored.error().to_string()}});
    }
}

void LinuxTunnel::teardown_host(bool release_kill_switch) {
    route_watch_.reset();  // our own removals below are not someone else's
    if (dns_) {
        if (auto status = dns_->revert(); !status) {
            logger_.warn("could not restore DNS", {{"error", status.error().to_string()}});
        }
        dns_.reset();
    }
    if (plan_) {
        if (auto status = parts_.network.remove(*plan_); !status) {
            logger_.warn("could not remove routes", {{"error", status.error().to_string()}});
        }
        plan_.reset();
    }
    parts_.metric_slots.release(profile_.name);
    if (tun_stream_) {
        asio::error_code ignored;
        tun_stream_->cancel(ignored);
        tun_stream_->release();  // the TunDevice owns the fd
        tun_stream_.reset();
    }
    write_batch_.clear();  // packets for a TUN that is going away
    if (tun_) {
        tun_->close();
        tun_.reset();
    }
    if (kill_switch_ && release_kill_switch) {
        (void)parts_.kill_switch.release(*kill_switch_);
        kill_switch_.reset();
    }
    if (!kill_switch_)
        (void)parts_.journal.erase(profile_.name);
    applied_.reset();
}

void LinuxTunnel::on_packet(std::span<const std::uint8_t> packet) {
    if (!tun_)
        return;
    if (!tun_->offload()) {
        // Non-blocking: when the kernel queue is full the packet is dropped, as a NIC would.
        (void)::write(tun_->fd(), packet.data(), packet.size());
        return;
    }
    // Every packet the client decodes from one server read joins one batch, written after the burst.
    write_batch_.add(packet);
    if (write_batch_.full()) {
        flush_tun_writes();
    } else if (!flush_posted_) {
        flush_posted_ = true;
        asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_)] {
            if (alive.expired())
                return;
            flush_posted_ = false;
            flush_tun_writes();
        });
    }
}

void LinuxTunnel::flush_tun_writes() {
    if (!tun_) {
        write_batch_.clear();
        return;
    }
    write_batch_.flush(to_tun_);
}

void LinuxTunnel::write_tun(std::span<const std::uint8_t> output) {
    // One write(2) per output; when the kernel queue is full it is dropped, as a NIC would.
    if (::write(tun_->fd(), output.data(), output.size()) >= 0 || errno != EINVAL ||
        output[1] == platform::kVnetGsoNone) {
        return;
    }
    // The kernel refused a super-packet: stop merging and write this one as its segments.
    if (write_batch_.coalesce()) {
        logger_.warn("the kernel refused a coalesced TUN write; writing packets one by one");
        write_batch_.set_coalesce(false);
    }
    refused_.assign(output.begin() + platform::kVirtioNetHdrSize, output.end());
    std::uint8_t plain[platform::kVirtioNetHdrSize] = {};
    (void)platform::segment_packet(platform::VirtioNetHdr::decode(output.data()), refused_, segment_buffer_,
                                   [this, &plain](std::span<const std::uint8_t> segment) {
                                       iovec parts[2] = {
                                           {plain, sizeof plain},
                                           {const_cast<std::uint8_t*>(segment.data()), segment.size()}};
                                       (void)::writev(tun_->fd(), parts, 2);
                                   });
}

void LinuxTunnel::read_offloaded() {
    segments_this_wake_ = 0;
    for (int i = 0; i < kMaxPacketsPerWake && segments_this_wake_ < kMaxSegmentsPerWake; ++i) {
        const ssize_t n = ::read(tun_->fd(), read_buffer_.data(), read_buffer_.size());
        if (n <= 0)
            break;
        if (static_cast<std::size_t>(n) <= platform::kVirtioNetHdrSize)
            continue;
        const auto hdr = platform::VirtioNetHdr::decode(read_buffer_.data());
        const auto error =
            platform::segment_packet(hdr,
                                     {read_buffer_.data() + platform::kVirtioNetHdrSize,
                                      static_cast<std::size_t>(n) - platform::kVirtioNetHdrSize},
                                     segment_buffer_, to_session_);
        if (error != platform::OffloadError::ok &&
            (tun_read_errors_++ == 0 || logger_.enabled(vpnse::LogLevel::debug))) {
            // Dropped, as a NIC drops what it cannot send; the first one says why.
            logger_.log(tun_read_errors_ == 1 ? vpnse::LogLevel::warn : vpnse::LogLevel::debug,
                        "dropped a packet from the TUN",
                        {{"error", std::string(platform::to_string(error))},
                         {"gso_type", std::to_string(hdr.gso_type)}});
        }
        if (!tun_ || !client_)
            return;
    }
}

void LinuxTunnel::read_plain() {
    for (int i = 0; i < kMaxPacketsPerWake; ++i) {
        const ssize_t n = ::read(tun_->fd(), read_buffer_.data(), read_buffer_.size());
        if (n <= 0)
            break;
        client_->send_packet({read_buffer_.data(), static_cast<std::size_t>(n)});
    }
}

void LinuxTunnel::read_tun() {
    if (!tun_stream_)
        return;
    tun_stream_->async_wait(asio::posix::stream_descriptor::wait_read,
                            [this, alive = std::weak_ptr<bool>(alive_)](const asio::error_code& ec) {
                                if (ec || alive.expired() || !tun_ || !client_)
                                    return;
                                if (tun_->offload())
                                    read_offloaded();
                                else
                                    read_plain();
                                read_tun();
                            });
}

}  // namespace vpnsed::tunnel
