#pragma once
// resolv.conf is one file for the whole host, so tunnels must not each back it up and restore it:
// with two tunnels up, the first one's restore would bring back the second one's file. SharedDns owns
// the single backend, writes the merged settings of every tunnel that wants DNS, and restores the
// original only when the last of them reverts. (systemd-resolved is per link and needs none of this.)
#include <map>
#include <memory>
#include <string>

#include "platform/dns_configurator.hpp"

namespace vpnsed::tunnel {

class SharedDns {
  public:
    explicit SharedDns(std::unique_ptr<vpnse::platform::DnsConfigurator> backend)
        : backend_(std::move(backend)) {}

    // A per-tunnel view with the DnsConfigurator interface.
    std::unique_ptr<vpnse::platform::DnsConfigurator> view(std::string tunnel_id);

    vpnse::Status apply(const std::string& tunnel_id, const vpnse::platform::DnsSettings& settings);
    vpnse::Status revert(const std::string& tunnel_id);
    vpnse::platform::DnsRecord describe(const vpnse::platform::DnsSettings& settings) const {
        return backend_->describe(settings);
    }
    std::string backend() const { return backend_->backend(); }
    std::string watched_file() const { return backend_->watched_file(); }
    vpnse::Result<bool> reassert() { return backend_->reassert(); }

  private:
    vpnse::platform::DnsSettings merged() const;

    std::unique_ptr<vpnse::platform::DnsConfigurator> backend_;
    std::map<std::string, vpnse::platform::DnsSettings> active_;  // ordered: stable file content
};

}  // namespace vpnsed::tunnel
