#include "ether/dhcp.hpp"

#include <algorithm>
#include <cstring>

namespace vpnse::ether {

const char* to_string(DhcpParseError error) {
    switch (error) {
        case DhcpParseError::truncated:
            return "truncated";
        case DhcpParseError::bad_header:
            return "bad_header";
        case DhcpParseError::bad_magic:
            return "bad_magic";
        case DhcpParseError::option_truncated:
            return "option_truncated";
        case DhcpParseError::orphan_continuation:
            return "orphan_continuation";
        case DhcpParseError::bad_option_value:
            return "bad_option_value";
        case DhcpParseError::bad_search_list:
            return "bad_search_list";
        case DhcpParseError::bad_routes:
            return "bad_routes";
        case DhcpParseError::missing_message_type:
            return "missing_message_type";
    }
    return "unknown";
}

const DhcpOption* DhcpMessage::find(std::uint8_t code) const {
    for (const auto& option : options)
        if (option.code == code)
            return &option;
    return nullptr;
}

void DhcpMessage::add(std::uint8_t code, ByteSpan data) {
    for (auto& option : options) {
        if (option.code == code) {
            option.data.insert(option.data.end(), data.begin(), data.end());
            return;
        }
    }
    options.push_back({code, Bytes(data.begin(), data.end())});
}

namespace {

// Walks one option area. `last_code` carries the previous option across areas so that a 250
// continuation appends to it (advanced doc 4.1). Stops at 255 or at the end of the area.
bool parse_option_area(ByteSpan area, DhcpMessage& message, int& last_code, DhcpParseError& error) {
    ByteReader reader(area);
    std::uint8_t code = 0;
    while (reader.read_u8(code)) {
        if (code == dhcp_option::end)
            return true;
        if (code == dhcp_option::pad) {
            last_code = -1;
            continue;
        }
        std::uint8_t length = 0;
        ByteSpan data;
        if (!reader.read_u8(length) || !reader.read_span(length, data)) {
            error = DhcpParseError::option_truncated;
            return false;
        }
        if (code == dhcp_option::securenat_continuation) {
            if (last_code < 0) {
                error = DhcpParseError::orphan_continuation;
                return false;
            }
            message.add(static_cast<std::uint8_t>(last_code), data);
            continue;
        }
        message.add(code, data);
        last_code = code;
    }
    return true;  // a missing end option is tolerated
}

Ipv4Address read_ip(const std::uint8_t* p) {
    return Ipv4Address{load_be32(p)};
}

bool decode_u32(const DhcpMessage& message, std::uint8_t code, std::optional<std::uint32_t>& out) {
    const DhcpOption* option = message.find(code);
    if (!option)
        return true;
    if (option->data.size() != 4)
        return false;
    out = load_be32(option->data.data());
    return true;
}

bool decode_ip_list(const DhcpMessage& message, std::uint8_t code, std::vector<Ipv4Address>& out) {
    const DhcpOption* option = message.find(code);
    if (!option)
        return true;
    if (option->data.empty() || option->data.size() % 4 != 0)
        return false;
    for (std::size_t i = 0; i < option->data.size(); i += 4)
        out.push_back(read_ip(option->data.data() + i));
    return true;
}

}  // namespace

std::optional<DhcpMessage> parse_dhcp(ByteSpan payload, DhcpParseError& error) {
    if (payload.size() < kDhcpFixedSize + 4) {
        error = DhcpParseError::truncated;
        return std::nullopt;
    }
    const std::uint8_t* p = payload.data();
    DhcpMessage message;
    message.op = p[0];
    if ((message.op != 1 && message.op != 2) || p[1] != 1 || p[2] != 6) {
        error = DhcpParseError::bad_header;
        return std::nullopt;
    }
    message.hops = p[3];
    message.xid = load_be32(p + 4);
    message.secs = load_be16(p + 8);
    message.flags = load_be16(p + 10);
    message.ciaddr = read_ip(p + 12);
    message.yiaddr = read_ip(p + 16);
    message.siaddr = read_ip(p + 20);
    message.giaddr = read_ip(p + 24);
    std::memcpy(message.chaddr.bytes.data(), p + 28, 6);
    if (load_be32(p + kDhcpFixedSize) != kDhcpMagicCookie) {
        error = DhcpParseError::bad_magic;
        return std::nullopt;
    }
    int last_code = -1;
    if (!parse_option_area(payload.subspan(kDhcpFixedSize + 4), message, last_code, error))
        return std::nullopt;
    // Option overload (RFC 2132 9.3): file then sname carry more options. Read only from the main
    // area, so an overload option inside file/sname cannot cause another pass.
    if (const DhcpOption* overload = message.find(dhcp_option::overload)) {
        if (overload->data.size() != 1 || overload->data[0] < 1 || overload->data[0] > 3) {
            error = DhcpParseError::bad_option_value;
            return std::nullopt;
        }
        const std::uint8_t which = overload->data[0];
        last_code = -1;
        if ((which & 1) && !parse_option_area(payload.subspan(108, 128), message, last_code, error))
            return std::nullopt;
        last_code = -1;
        if ((which & 2) && !parse_option_area(payload.subspan(44, 64), message, last_code, error))
            return std::nullopt;
    }
    return message;
}

Bytes serialize_dhcp(const DhcpMessage& message, std::size_t min_size) {
    Bytes out(kDhcpFixedSize, 0);
    std::uint8_t* p = out.data();
    p[0] = message.op;
    p[1] = 1;
    p[2] = 6;
    p[3] = message.hops;
    store_be32(p + 4, message.xid);
    store_be16(p + 8, message.secs);
    store_be16(p + 10, message.flags);
    store_be32(p + 12, message.ciaddr.value);
    store_be32(p + 16, message.yiaddr.value);
    store_be32(p + 20, message.siaddr.value);
    store_be32(p + 24, message.giaddr.value);
    std::memcpy(p + 28, message.chaddr.bytes.data(), 6);
    ByteWriter writer(out);
    writer.u32(kDhcpMagicCookie);
    for (const auto& option : message.options) {
        std::size_t offset = 0;
        do {
            const std::size_t chunk = std::min<std::size_t>(255, option.data.size() - offset);
            writer.u8(option.code);
            writer.u8(static_cast<std::uint8_t>(chunk));
            writer.bytes(ByteSpan(option.data).subspan(offset, chunk));
            offset += chunk;
        } while (offset < option.data.size());
    }
    writer.u8(dhcp_option::end);
    if (out.size() < min_size)
        out.resize(min_size, 0);
    return out;
}

std::optional<std::vector<Route4>> parse_classless_routes(ByteSpan data) {
    std::vector<Route4> routes;
    ByteReader reader(data);
    while (!reader.empty()) {
        std::uint8_t prefix_length = 0;
        reader.read_u8(prefix_length);
        if (prefix_length > 32)
            return std::nullopt;
        const std::size_t significant = (prefix_length + 7u) / 8u;
        ByteSpan octets;
        std::uint32_t gateway = 0;
        if (!reader.read_span(significant, octets) || !reader.read_u32(gateway))
            return std::nullopt;
        std::uint32_t destination = 0;
        for (std::size_t i = 0; i < significant; ++i)
            destination |= std::uint32_t{octets[i]} << (24 - 8 * i);
        routes.push_back(
            {Ipv4Address{destination & prefix_mask(prefix_length)}, prefix_length, Ipv4Address{gateway}});
    }
    return routes;
}

Bytes encode_classless_routes(const std::vector<Route4>& routes) {
    Bytes out;
    ByteWriter writer(out);
    for (const auto& route : routes) {
        writer.u8(route.prefix_length);
        const std::size_t significant = (route.prefix_length + 7u) / 8u;
        for (std::size_t i = 0; i < significant; ++i)
            writer.u8(static_cast<std::uint8_t>(route.destination.value >> (24 - 8 * i)));
        writer.u32(route.gateway.value);
    }
    return out;
}

std::optional<std::vector<std::string>> parse_search_list(ByteSpan data) {
    std::vector<std::string> names;
    std::size_t pos = 0;
    while (pos < data.size()) {
        std::string name;
        std::size_t cursor = pos;
        std::size_t resume = 0;  // where the next name starts, set at the first pointer or the root
        bool jumped = false;
        // Every pointer must point strictly before the label it sits in, so the walk always
        // terminates (no loops); names are capped at 255 octets (RFC 1035 3.1).
        std::size_t lowest = cursor;
        while (true) {
            if (cursor >= data.size())
                return std::nullopt;
            const std::uint8_t length = data[cursor];
            if ((length & 0xc0) == 0xc0) {
                if (cursor + 1 >= data.size())
                    return std::nullopt;
                const std::size_t target = ((length & 0x3fu) << 8) | data[cursor + 1];
                if (!jumped)
                    resume = cursor + 2;
                jumped = true;
                if (target >= lowest)
                    return std::nullopt;
                lowest = target;
                cursor = target;
                continue;
            }
            if ((length & 0xc0) != 0)
                return std::nullopt;
            if (length == 0) {
                if (!jumped)
                    resume = cursor + 1;
                break;
            }
            if (cursor + 1 + length > data.size() || name.size() + length + 1 > 255)
                return std::nullopt;
            if (!name.empty())
                name += '.';
            name.append(reinterpret_cast<const char*>(data.data() + cursor + 1), length);
            cursor += 1 + length;
        }
        if (!name.empty())
            names.push_back(std::move(name));
        pos = resume;
    }
    return names;
}

std::optional<DhcpLeaseInfo> decode_lease_info(const DhcpMessage& message, DhcpParseError& error) {
    DhcpLeaseInfo info;
    error = DhcpParseError::bad_option_value;
    const DhcpOption* type = message.find(dhcp_option::message_type);
    if (!type) {
        error = DhcpParseError::missing_message_type;
        return std::nullopt;
    }
    if (type->data.size() != 1 || type->data[0] < 1 || type->data[0] > 8)
        return std::nullopt;
    info.type = static_cast<DhcpMessageType>(type->data[0]);
    if (const DhcpOption* server = message.find(dhcp_option::server_id)) {
        if (server->data.size() != 4)
            return std::nullopt;
        info.server_id = read_ip(server->data.data());
    }
    if (!decode_u32(message, dhcp_option::lease_time, info.lease_time) ||
        !decode_u32(message, dhcp_option::renewal_time, info.renewal_time) ||
        !decode_u32(message, dhcp_option::rebinding_time, info.rebinding_time))
        return std::nullopt;
    if (const DhcpOption* mask = message.find(dhcp_option::subnet_mask)) {
        if (mask->data.size() != 4)
            return std::nullopt;
        info.subnet_mask = read_ip(mask->data.data());
    }
    if (!decode_ip_list(message, dhcp_option::router, info.routers) ||
        !decode_ip_list(message, dhcp_option::dns, info.dns))
        return std::nullopt;
    if (const DhcpOption* domain = message.find(dhcp_option::domain_name)) {
        std::string_view text = as_text(domain->data);
        while (!text.empty() && (text.back() == '\0' || text.back() == '.'))
            text.remove_suffix(1);  // some servers NUL-terminate
        if (text.find('\0') != std::string_view::npos)
            return std::nullopt;
        info.domain = std::string(text);
    }
    if (const DhcpOption* mtu = message.find(dhcp_option::interface_mtu)) {
        if (mtu->data.size() != 2 || load_be16(mtu->data.data()) < 68)
            return std::nullopt;
        info.mtu = load_be16(mtu->data.data());
    }
    if (const DhcpOption* search = message.find(dhcp_option::search_list)) {
        auto names = parse_search_list(search->data);
        if (!names) {
            error = DhcpParseError::bad_search_list;
            return std::nullopt;
        }
        info.search_domains = std::move(*names);
    }
    const DhcpOption* routes = message.find(dhcp_option::classless_routes);
    if (!routes)
        routes = message.find(dhcp_option::ms_classless_routes);
    if (routes) {
        info.classless_routes = parse_classless_routes(routes->data);
        if (!info.classless_routes) {
            error = DhcpParseError::bad_routes;
            return std::nullopt;
        }
    }
    return info;
}

}  // namespace vpnse::ether
