#include "platform/linux/resolved_dns.hpp"

#include <sdbus-c++/sdbus-c++.h>
#include <sys/socket.h>

namespace vpnse::platform {

namespace {

constexpr const char* kService = "org.freedesktop.resolve1";
constexpr const char* kPath = "/org/freedesktop/resolve1";
constexpr const char* kManager = "org.freedesktop.resolve1.Manager";

Error dbus_error(const sdbus::Error& e, const std::string& what) {
    const auto& name = e.getName();
    ErrorCode code = ErrorCode::io_error;
    if (name == "org.freedesktop.DBus.Error.AccessDenied" ||
        name == "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired")
        code = ErrorCode::permission_denied;
    else if (name == "org.freedesktop.DBus.Error.ServiceUnknown" ||
             name == "org.freedesktop.DBus.Error.NameHasNoOwner" ||
             name == "org.freedesktop.resolve1.NoSuchLink")
        code = ErrorCode::not_found;
    else if (name == "org.freedesktop.DBus.Error.InvalidArgs")
        code = ErrorCode::invalid_argument;
    return Error(code, what + ": " + name + ": " + e.getMessage());
}

std::unique_ptr<sdbus::IConnection> open_bus(const std::optional<std::string>& address) {
    // sdbus-c++ 1.2 has no "system bus at this address" factory; the session-with-address one
    // talks to any bus, the name is only a label.
    return address ? sdbus::createSessionBusConnectionWithAddress(*address)
                   : sdbus::createSystemBusConnection();
}

}  // namespace

ResolvedDnsConfigurator::ResolvedDnsConfigurator(std::unique_ptr<sdbus::IConnection> connection, Logger log)
    : connection_(std::move(connection)), log_(std::move(log)) {}

ResolvedDnsConfigurator::~ResolvedDnsConfigurator() = default;

Result<std::unique_ptr<ResolvedDnsConfigurator>> ResolvedDnsConfigurator::connect(
    std::optional<std::string> bus_address, Logger log) {
    try {
        auto connection = open_bus(bus_address);
        return std::make_unique<ResolvedDnsConfigurator>(std::move(connection), std::move(log));
    } catch (const sdbus::Error& e) {
        return dbus_error(e, "connect to D-Bus");
    }
}

DnsRecord ResolvedDnsConfigurator::describe(const DnsSettings& settings) const {
    DnsRecord record;
    record.backend = backend();
    record.ifindex = settings.ifindex;
    return record;
}

Status ResolvedDnsConfigurator::apply(const DnsSettings& settings) {
    if (settings.ifindex <= 0)
        return Error(ErrorCode::invalid_argument, "resolved needs an ifindex");
    std::vector<sdbus::Struct<std::int32_t, std::vector<std::uint8_t>>> servers;
    for (const auto& server : settings.servers) {
        const auto& bytes = server.bytes();
        servers.emplace_back(server.is_v4() ? AF_INET : AF_INET6,
                             std::vector<std::uint8_t>(
                                 bytes.begin(), bytes.begin() + static_cast<long>(server.byte_length())));
    }
    std::vector<sdbus::Struct<std::string, bool>> domains;
    for (const auto& domain : settings.search_domains)
        domains.emplace_back(domain, false);
    for (auto domain : settings.routing_domains) {
        // resolved wants "corp.example" + routing flag; a literal "~" becomes part of the name.
        if (!domain.empty() && domain.front() == '~')
            domain.erase(0, 1);
        if (domain.empty())
            domain = ".";
        domains.emplace_back(domain, true);
    }
    const std::int32_t index = settings.ifindex;
    try {
        auto proxy = sdbus::createProxy(*connection_, kService, kPath);
        applied_ifindex_ = settings.ifindex;
        proxy->callMethod("SetLinkDNS").onInterface(kManager).withArguments(index, servers);
        proxy->callMethod("SetLinkDomains").onInterface(kManager).withArguments(index, domains);
        proxy->callMethod("SetLinkDefaultRoute")
            .onInterface(kManager)
            .withArguments(index, settings.default_route);
    } catch (const sdbus::Error& e) {
        auto error = dbus_error(e, "configure resolved link " + settings.ifname);
        if (auto reverted = revert(); !reverted)
            log_.warn("resolved link not reverted after a failed configure",
                      {{"ifname", settings.ifname}, {"error", reverted.error().to_string()}});
        return error;
    }
    log_.info("resolved link configured",
              {{"ifname", settings.ifname}, {"servers", std::to_string(servers.size())}});
    return {};
}

Status ResolvedDnsConfigurator::revert_link(int ifindex) {
    try {
        auto proxy = sdbus::createProxy(*connection_, kService, kPath);
        proxy->callMethod("RevertLink")
            .onInterface(kManager)
            .withArguments(static_cast<std::int32_t>(ifindex));
    } catch (const sdbus::Error& e) {
        auto error = dbus_error(e, "revert resolved link " + std::to_string(ifindex));
        // The link went away with its device: resolved forgot it already.
        if (error.code() == ErrorCode::not_found || e.getName() == "org.freedesktop.DBus.Error.InvalidArgs")
            return {};
        return error;
    }
    return {};
}

Status ResolvedDnsConfigurator::revert() {
    if (applied_ifindex_ == 0)
        return {};
    auto st = revert_link(applied_ifindex_);
    if (st)
        applied_ifindex_ = 0;
    return st;
}

bool resolved_available(const std::optional<std::string>& bus_address) {
    try {
        auto connection = open_bus(bus_address);
        auto proxy = sdbus::createProxy(*connection, "org.freedesktop.DBus", "/org/freedesktop/DBus");
        bool has_owner = false;
        proxy->callMethod("NameHasOwner")
            .onInterface("org.freedesktop.DBus")
            .withArguments(std::string(kService))
            .storeResultsTo(has_owner);
        return has_owner;
    } catch (const sdbus::Error&) {
        return false;
    }
}

}  // namespace vpnse::platform
