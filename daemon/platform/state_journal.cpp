#include "platform/state_journal.hpp"

#include "platform/atomic_file.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace vpnse::platform {

namespace {

using nlohmann::json;

json cidr_json(const Cidr& c) {
    return c.to_string();
}

Cidr cidr_from(const json& j) {
    auto parsed = Cidr::parse(j.get<std::string>());
    if (!parsed)
        throw std::invalid_argument(parsed.error().message());
    return *parsed;
}

json plan_json(const NetworkPlan& p) {
    json j{{"tunnel_id", p.tunnel_id},
           {"ifname", p.ifname},
           {"ifindex", p.ifindex},
           {"mtu", p.mtu},
           {"fwmark", p.fwmark}};
    j["addresses"] = json::array();
    for (const auto& a : p.addresses)
        j["addresses"].push_back(cidr_json(a.address));
    j["routes"] = json::array();
    for (const auto& r : p.routes)
        j["routes"].push_back({{"dst", cidr_json(r.destination)}, {"table", r.table}, {"metric", r.metric}});
    j["rules"] = json::array();
    for (const auto& r : p.rules) {
        json rule{{"family", r.family == IpFamily::v4 ? 4 : 6},
                  {"priority", r.priority},
                  {"table", r.table},
                  {"fwmark", r.fwmark},
                  {"invert", r.invert},
                  {"suppress_prefixlength", r.suppress_prefixlength}};
        if (r.has_destination)
            rule["dst"] = cidr_json(r.destination);
        j["rules"].push_back(rule);
    }
    return j;
}

NetworkPlan plan_from(const json& j) {
    NetworkPlan p;
    p.tunnel_id = j.at("tunnel_id").get<std::string>();
    p.ifname = j.at("ifname").get<std::string>();
    p.ifindex = j.at("ifindex").get<int>();
    p.mtu = j.at("mtu").get<std::uint32_t>();
    p.fwmark = j.at("fwmark").get<std::uint32_t>();
    for (const auto& a : j.at("addresses"))
        p.addresses.push_back(AddressChange{cidr_from(a)});
    for (const auto& r : j.at("routes"))
        p.routes.push_back(RouteChange{cidr_from(r.at("dst")), r.at("table").get<std::uint32_t>(),
                                       r.at("metric").get<std::uint32_t>()});
    for (const auto& r : j.at("rules")) {
        RuleChange rule;
        rule.family = r.at("family").get<int>() == 4 ? IpFamily::v4 : IpFamily::v6;
        rule.priority = r.at("priority").get<std::uint32_t>();
        rule.table = r.at("table").get<std::uint32_t>();
        rule.fwmark = r.at("fwmark").get<std::uint32_t>();
        rule.invert = r.at("invert").get<bool>();
        rule.suppress_prefixlength = r.at("suppress_prefixlength").get<int>();
        if (r.contains("dst")) {
            rule.has_destination = true;
            rule.destination = cidr_from(r.at("dst"));
        }
        p.rules.push_back(rule);
    }
    return p;
}

}  // namespace

bool is_valid_tunnel_id(std::string_view id) noexcept {
    if (id.empty() || id.size() > 32)
        return false;
    for (char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

std::string journal_to_json(const JournalEntry& e) {
    json j{
        {"version", 1}, {"tunnel_id", e.tunnel_id}, {"ifname", e.ifname}, {"network", plan_json(e.network)}};
    if (e.dns) {
        json d{{"backend", e.dns->backend},
               {"ifindex", e.dns->ifindex},
               {"path", e.dns->path},
               {"backup_path", e.dns->backup_path},
               {"original_missing", e.dns->original_missing}};
        if (e.dns->symlink_target)
            d["symlink_target"] = *e.dns->symlink_target;
        j["dns"] = d;
    }
    if (e.kill_switch)
        j["kill_switch"] = {{"table", e.kill_switch->table}};
    return j.dump(2) + "\n";
}

Result<JournalEntry> journal_from_json(std::string_view text) {
    try {
        const json j = json::parse(text);
        if (j.at("version").get<int>() != 1)
            return Error(ErrorCode::malformed_input, "unknown journal version");
        JournalEntry e;
        e.tunnel_id = j.at("tunnel_id").get<std::string>();
        e.ifname = j.at("ifname").get<std::string>();
        e.network = plan_from(j.at("network"));
        if (j.contains("dns")) {
            const auto& d = j.at("dns");
            DnsRecord r;
            r.backend = d.at("backend").get<std::string>();
            r.ifindex = d.at("ifindex").get<int>();
            r.path = d.at("path").get<std::string>();
            r.backup_path = d.at("backup_path").get<std::string>();
            r.original_missing = d.at("original_missing").get<bool>();
            if (d.contains("symlink_target"))
                r.symlink_target = d.at("symlink_target").get<std::string>();
            e.dns = r;
        }
        if (j.contains("kill_switch"))
            e.kill_switch = KillSwitchRecord{j.at("kill_switch").at("table").get<std::string>()};
        if (!is_valid_tunnel_id(e.tunnel_id))
            return Error(ErrorCode::malformed_input, "bad tunnel id in journal");
        return e;
    } catch (const std::exception& ex) {
        return Error(ErrorCode::malformed_input, std::string("journal: ") + ex.what());
    }
}

std::filesystem::path StateJournal::path_for(const std::string& tunnel_id) const {
    return dir_ / ("tunnel-" + tunnel_id + ".json");
}

Status StateJournal::write(const JournalEntry& entry) {
    if (!is_valid_tunnel_id(entry.tunnel_id))
        return Error(ErrorCode::invalid_argument, "bad tunnel id '" + entry.tunnel_id + "'");
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec)
        return Error(ErrorCode::io_error, "create " + dir_.string() + ": " + ec.message());
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all, ec);

    return write_file_atomically(path_for(entry.tunnel_id), journal_to_json(entry));
}

Result<std::vector<JournalEntry>> StateJournal::load_all() const {
    std::vector<JournalEntry> out;
    std::error_code ec;
    if (!std::filesystem::exists(dir_, ec))
        return out;
    for (const auto& item : std::filesystem::directory_iterator(dir_, ec)) {
        const auto name = item.path().filename().string();
        if (name.rfind("tunnel-", 0) != 0 || item.path().extension() != ".json")
            continue;
        std::ifstream in(item.path(), std::ios::binary);
        std::stringstream buf;
        buf << in.rdbuf();
        auto entry = journal_from_json(buf.str());
        if (!entry)
            return Error(ErrorCode::malformed_input, item.path().string() + ": " + entry.error().message());
        out.push_back(std::move(entry).value());
    }
    if (ec)
        return Error(ErrorCode::io_error, "read " + dir_.string() + ": " + ec.message());
    return out;
}

Status StateJournal::erase(const std::string& tunnel_id) {
    if (!is_valid_tunnel_id(tunnel_id))
        return Error(ErrorCode::invalid_argument, "bad tunnel id '" + tunnel_id + "'");
    std::error_code ec;  // a missing entry is not an error: remove() is false without setting ec
    if (!std::filesystem::remove(path_for(tunnel_id), ec) && ec)
        return Error(ErrorCode::io_error, "unlink " + path_for(tunnel_id).string() + ": " + ec.message());
    return {};
}

}  // namespace vpnse::platform
