#include "tunnel/shared_dns.hpp"

#include <algorithm>

namespace vpnsed::tunnel {
namespace {

class SharedDnsView final : public vpnse::platform::DnsConfigurator {
  public:
    SharedDnsView(SharedDns& shared, std::string id) : shared_(shared), id_(std::move(id)) {}
    std::string backend() const override { return shared_.backend(); }
    vpnse::platform::DnsRecord describe(const vpnse::platform::DnsSettings& s) const override {
        return shared_.describe(s);
    }
    vpnse::Status apply(const vpnse::platform::DnsSettings& s) override { return shared_.apply(id_, s); }
    vpnse::Status revert() override { return shared_.revert(id_); }
    std::string watched_file() const override { return shared_.watched_file(); }
    vpnse::Result<bool> reassert() override { return shared_.reassert(); }

  private:
    SharedDns& shared_;
    std::string id_;
};

template <class T>
void append_unique(std::vector<T>& to, const std::vector<T>& from) {
    for (const auto& item : from) {
        if (std::find(to.begin(), to.end(), item) == to.end())
            to.push_back(item);
    }
}

}  // namespace

std::unique_ptr<vpnse::platform::DnsConfigurator> SharedDns::view(std::string tunnel_id) {
    return std::make_unique<SharedDnsView>(*this, std::move(tunnel_id));
}

vpnse::platform::DnsSettings SharedDns::merged() const {
    vpnse::platform::DnsSettings out;
    for (const auto& [id, settings] : active_) {
        if (out.ifname.empty()) {
            out.ifname = settings.ifname;
            out.ifindex = settings.ifindex;
        }
        append_unique(out.servers, settings.servers);
        append_unique(out.search_domains, settings.search_domains);
        append_unique(out.routing_domains, settings.routing_domains);
        out.default_route = out.default_route || settings.default_route;
    }
    return out;
}

vpnse::Status SharedDns::apply(const std::string& tunnel_id, const vpnse::platform::DnsSettings& settings) {
    active_[tunnel_id] = settings;
    return backend_->apply(merged());
}

vpnse::Status SharedDns::revert(const std::string& tunnel_id) {
    if (active_.erase(tunnel_id) == 0)
        return {};
    if (active_.empty())
        return backend_->revert();
    return backend_->apply(merged());
}

}  // namespace vpnsed::tunnel
