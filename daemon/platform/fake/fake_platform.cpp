#include "platform/fake/fake_platform.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "platform/ip.hpp"

namespace vpnse::platform {

FakeTunDevice::FakeTunDevice(int fd, int peer_fd, std::string name, int ifindex, std::uint32_t mtu,
                             std::shared_ptr<std::vector<std::string>> closed_log)
    : fd_(fd),
      peer_fd_(peer_fd),
      name_(std::move(name)),
      ifindex_(ifindex),
      mtu_(mtu),
      closed_log_(std::move(closed_log)) {}

FakeTunDevice::~FakeTunDevice() {
    close();
    if (peer_fd_ >= 0)
        ::close(peer_fd_);
}

void FakeTunDevice::close() noexcept {
    if (fd_ < 0)
        return;
    ::close(fd_);
    fd_ = -1;
    if (closed_log_)
        closed_log_->push_back(name_);
}

Result<std::unique_ptr<TunDevice>> FakeTunDeviceFactory::open(const TunOptions& options) {
    opened.push_back(options);
    if (fail_next) {
        auto error = *fail_next;
        fail_next.reset();
        return error;
    }
    int fds[2];
    // SOCK_SEQPACKET keeps packet boundaries like a TUN fd does.
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0)
        return Error(ErrorCode::io_error, std::string("socketpair: ") + std::strerror(errno));
    const int index = next_index_++;
    std::string name = options.name.empty() ? "vpnse" + std::to_string(index - 100) : options.name;
    auto device = std::make_unique<FakeTunDevice>(fds[0], fds[1], name, index, options.mtu, closed);
    devices[name] = device.get();
    return std::unique_ptr<TunDevice>(std::move(device));
}

Result<NetworkPlan> FakeNetworkConfigurator::plan(const TunnelNetworkSettings& s) const {
    if (s.ifname.empty())
        return Error(ErrorCode::invalid_argument, "no interface name");
    NetworkPlan plan;
    plan.tunnel_id = s.tunnel_id;
    plan.ifname = s.ifname;
    plan.ifindex = s.ifindex;
    plan.mtu = s.mtu;
    for (const auto& a : s.addresses)
        plan.addresses.push_back(AddressChange{a});
    if (s.full_tunnel) {
        // Linux's default policy routing numbers (platform/linux/network_configurator.hpp).
        constexpr std::uint32_t kFwmarkAndTable = 0x7673;
        plan.fwmark = kFwmarkAndTable;
        plan.routes.push_back(RouteChange{Cidr::any(IpFamily::v4), kFwmarkAndTable, 0});
        plan.routes.push_back(RouteChange{Cidr::any(IpFamily::v6), kFwmarkAndTable, 0});
    } else {
        auto exclude = s.exclude;
        exclude.push_back(Cidr::host(s.server.address));
        for (const auto& r : subtract_cidrs(s.routes, exclude))
            plan.routes.push_back(RouteChange{r, 254, s.route_metric});
    }
    return plan;
}

Status FakeNetworkConfigurator::apply(const NetworkPlan& plan) {
    calls.push_back("apply " + plan.tunnel_id);
    if (fail_apply)
        return *fail_apply;
    active[plan.tunnel_id] = plan;
    return {};
}

Result<std::size_t> FakeNetworkConfigurator::restore(const NetworkPlan& plan) {
    calls.push_back("restore " + plan.tunnel_id);
    return std::size_t{0};
}

Status FakeNetworkConfigurator::remove(const NetworkPlan& plan) {
    calls.push_back("remove " + plan.tunnel_id);
    active.erase(plan.tunnel_id);
    return {};
}

Status FakeNetworkConfigurator::protect_socket(std::intptr_t native_socket) {
    calls.push_back("protect " + std::to_string(native_socket));
    return {};
}

DnsRecord FakeDnsConfigurator::describe(const DnsSettings& settings) const {
    DnsRecord record;
    record.backend = backend();
    record.ifindex = settings.ifindex;
    return record;
}

Status FakeDnsConfigurator::apply(const DnsSettings& settings) {
    calls.push_back("apply " + settings.ifname);
    if (fail_apply)
        return *fail_apply;
    applied = settings;
    return {};
}

Status FakeDnsConfigurator::revert() {
    calls.push_back("revert");
    applied.reset();
    return {};
}

KillSwitchRecord FakeKillSwitch::describe(const KillSwitchSettings& settings) const {
    return KillSwitchRecord{"inet vpnse_" + settings.tunnel_id};
}

Status FakeKillSwitch::engage(const KillSwitchSettings& settings) {
    calls.push_back("engage " + settings.tunnel_id);
    engaged[describe(settings).table] = settings;
    return {};
}

Status FakeKillSwitch::release(const KillSwitchRecord& record) {
    calls.push_back("release " + record.table);
    engaged.erase(record.table);
    return {};
}

}  // namespace vpnse::platform
