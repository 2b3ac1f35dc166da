#pragma once
// In-memory platform for daemon service tests: records every call, can be told to fail, never
// touches the host. FakeTunDevice is a real socketpair, so the daemon's packet loop can run on it:
// the test reads and writes "the kernel side" through peer_fd().
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "platform/dns_configurator.hpp"
#include "platform/kill_switch.hpp"
#include "platform/network_configurator.hpp"
#include "platform/tun_device.hpp"

namespace vpnse::platform {

class FakeTunDevice final : public TunDevice {
  public:
    FakeTunDevice(int fd, int peer_fd, std::string name, int ifindex, std::uint32_t mtu,
                  std::shared_ptr<std::vector<std::string>> closed_log = nullptr);
    ~FakeTunDevice() override;
    int fd() const noexcept override { return fd_; }
    const std::string& name() const noexcept override { return name_; }
    int ifindex() const noexcept override { return ifindex_; }
    std::uint32_t mtu() const noexcept override { return mtu_; }
    void close() noexcept override;
    // The other end: what the kernel would see. Datagram socket, one packet per message.
    int peer_fd() const noexcept { return peer_fd_; }

  private:
    int fd_;
    int peer_fd_;
    std::string name_;
    int ifindex_;
    std::uint32_t mtu_;
    std::shared_ptr<std::vector<std::string>> closed_log_;
};

class FakeTunDeviceFactory final : public TunDeviceFactory {
  public:
    Result<std::unique_ptr<TunDevice>> open(const TunOptions& options) override;
    std::vector<TunOptions> opened;
    std::optional<Error> fail_next;
    // Devices handed out, by name (not owned; valid while the caller keeps them).
    std::map<std::string, FakeTunDevice*> devices;
    // Names of the devices closed so far, in order (outlives the devices).
    std::shared_ptr<std::vector<std::string>> closed = std::make_shared<std::vector<std::string>>();

  private:
    int next_index_ = 100;
};

class FakeNetworkConfigurator final : public NetworkConfigurator {
  public:
    // Plans like Linux would (so tests see real split/full-tunnel routes).
    Result<NetworkPlan> plan(const TunnelNetworkSettings& settings) const override;
    Status apply(const NetworkPlan& plan) override;
    Status remove(const NetworkPlan& plan) override;
    Result<std::size_t> restore(const NetworkPlan& plan) override;
    Status protect_socket(std::intptr_t native_socket) override;

    std::vector<std::string> calls;             // "apply office", "remove office", "protect 7"
    std::map<std::string, NetworkPlan> active;  // by tunnel id
    std::optional<Error> fail_apply;
};

class FakeDnsConfigurator final : public DnsConfigurator {
  public:
    std::string backend() const override { return "fake"; }
    DnsRecord describe(const DnsSettings& settings) const override;
    Status apply(const DnsSettings& settings) override;
    Status revert() override;

    std::vector<std::string> calls;
    std::optional<DnsSettings> applied;
    std::optional<Error> fail_apply;
};

class FakeKillSwitch final : public KillSwitch {
  public:
    KillSwitchRecord describe(const KillSwitchSettings& settings) const override;
    Status engage(const KillSwitchSettings& settings) override;
    Status release(const KillSwitchRecord& record) override;

    std::vector<std::string> calls;
    std::map<std::string, KillSwitchSettings> engaged;  // by table
};

}  // namespace vpnse::platform
