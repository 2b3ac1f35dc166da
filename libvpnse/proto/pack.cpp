#include "proto/pack.hpp"

#include <algorithm>

namespace vpnse::proto {
namespace {

// Names longer than this are truncated on read, like the server does (5.3).
constexpr std::size_t kMaxNameLength = 63;

char upper(char c) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

Error malformed(const std::string& what) {
    return Error(ErrorCode::malformed_input, "PACK: " + what);
}

}  // namespace

bool names_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (upper(a[i]) != upper(b[i]))
            return false;
    }
    return true;
}

const Pack::Element* Pack::find(std::string_view name) const {
    for (const auto& element : elements_) {
        if (names_equal(element.name, name))
            return &element;
    }
    return nullptr;
}

Pack::Element& Pack::replace(std::string_view name, ValueType type) {
    remove(name);
    auto& element = elements_.emplace_back();
    element.name = std::string(name);
    element.type = type;
    return element;
}

void Pack::remove(std::string_view name) {
    std::erase_if(elements_, [&](const Element& e) { return names_equal(e.name, name); });
}

void Pack::set_int(std::string_view name, std::uint32_t value) {
    replace(name, ValueType::integer).numbers = {value};
}
void Pack::set_int64(std::string_view name, std::uint64_t value) {
    replace(name, ValueType::int64).numbers = {value};
}
void Pack::set_data(std::string_view name, ByteSpan value) {
    replace(name, ValueType::data).blobs = {Bytes(value.begin(), value.end())};
}
void Pack::set_str(std::string_view name, std::string_view value) {
    auto bytes = as_bytes(value);
    replace(name, ValueType::str).blobs = {Bytes(bytes.begin(), bytes.end())};
}
void Pack::set_unistr(std::string_view name, std::string_view utf8) {
    auto bytes = as_bytes(utf8);
    replace(name, ValueType::unistr).blobs = {Bytes(bytes.begin(), bytes.end())};
}
void Pack::set_int_array(std::string_view name, std::span<const std::uint32_t> values) {
    auto& element = replace(name, ValueType::integer);
    element.numbers.assign(values.begin(), values.end());
}
void Pack::set_str_array(std::string_view name, std::span<const std::string> values) {
    auto& element = replace(name, ValueType::str);
    for (const auto& v : values)
        element.blobs.emplace_back(v.begin(), v.end());
}

void Pack::set_ip(std::string_view name, const IpAddress& ip) {
    const std::string base(name);
    const auto& b = ip.bytes();
    set_bool(base + "@ipv6_bool", !ip.is_v4());
    set_data(base + "@ipv6_array", ip.is_v4() ? std::array<std::uint8_t, 16>{} : b);
    set_int(base + "@ipv6_scope_id", 0);
    // The IPv4 address as a little-endian int: octets reversed on the wire.
    set_int(base, ip.is_v4() ? (std::uint32_t{b[3]} << 24) | (std::uint32_t{b[2]} << 16) |
                                   (std::uint32_t{b[1]} << 8) | b[0]
                             : 0);
}

std::optional<IpAddress> Pack::get_ip(std::string_view name) const {
    const std::string base(name);
    if (get_int(base + "@ipv6_bool").value_or(0) != 0) {
        const auto v6 = get_data(base + "@ipv6_array");
        if (!v6 || v6->size() != 16)
            return std::nullopt;
        return IpAddress::from_bytes(IpFamily::v6, v6->data());
    }
    const auto v4 = get_int(base);
    if (!v4)
        return std::nullopt;
    const std::array<std::uint8_t, 4> octets{
        static_cast<std::uint8_t>(*v4), static_cast<std::uint8_t>(*v4 >> 8),
        static_cast<std::uint8_t>(*v4 >> 16), static_cast<std::uint8_t>(*v4 >> 24)};
    return IpAddress::from_bytes(IpFamily::v4, octets.data());
}

std::optional<std::uint32_t> Pack::get_int(std::string_view name, std::size_t index) const {
    const auto* e = find(name);
    if (!e || e->type != ValueType::integer || index >= e->numbers.size())
        return std::nullopt;
    return static_cast<std::uint32_t>(e->numbers[index]);
}

bool Pack::get_bool(std::string_view name, bool fallback) const {
    auto v = get_int(name);
    return v ? *v != 0 : fallback;
}

std::optional<std::uint64_t> Pack::get_int64(std::string_view name, std::size_t index) const {
    const auto* e = find(name);
    if (!e || e->type != ValueType::int64 || index >= e->numbers.size())
        return std::nullopt;
    return e->numbers[index];
}

std::optional<ByteSpan> Pack::get_data(std::string_view name, std::size_t index) const {
    const auto* e = find(name);
    if (!e || e->type != ValueType::data || index >= e->blobs.size())
        return std::nullopt;
    return ByteSpan(e->blobs[index]);
}

std::optional<std::string_view> Pack::get_str(std::string_view name, std::size_t index) const {
    const auto* e = find(name);
    if (!e || e->type != ValueType::str || index >= e->blobs.size())
        return std::nullopt;
    return as_text(e->blobs[index]);
}

std::optional<std::string_view> Pack::get_unistr(std::string_view name, std::size_t index) const {
    const auto* e = find(name);
    if (!e || e->type != ValueType::unistr || index >= e->blobs.size())
        return std::nullopt;
    return as_text(e->blobs[index]);
}

std::size_t Pack::value_count(std::string_view name) const {
    const auto* e = find(name);
    if (!e)
        return 0;
    return e->type == ValueType::integer || e->type == ValueType::int64 ? e->numbers.size() : e->blobs.size();
}

std::vector<std::string> Pack::names() const {
    std::vector<std::string> out;
    for (const auto& e : elements_)
        out.push_back(e.name);
    return out;
}

Bytes Pack::encode() const {
    Bytes out;
    encode_to(out);
    return out;
}

void Pack::encode_to(Bytes& out) const {
    ByteWriter w(out);
    w.u32(static_cast<std::uint32_t>(elements_.size()));
    for (const auto& e : elements_) {
        // The name length counts an imaginary NUL that is not sent (5.1).
        w.u32(static_cast<std::uint32_t>(e.name.size() + 1));
        w.text(e.name);
        w.u32(static_cast<std::uint32_t>(e.type));
        switch (e.type) {
            case ValueType::integer:
                w.u32(static_cast<std::uint32_t>(e.numbers.size()));
                for (auto v : e.numbers)
                    w.u32(static_cast<std::uint32_t>(v));
                break;
            case ValueType::int64:
                w.u32(static_cast<std::uint32_t>(e.numbers.size()));
                for (auto v : e.numbers)
                    w.u64(v);
                break;
            case ValueType::data:
            case ValueType::str:
                w.u32(static_cast<std::uint32_t>(e.blobs.size()));
                for (const auto& b : e.blobs) {
                    w.u32(static_cast<std::uint32_t>(b.size()));
                    w.bytes(b);
                }
                break;
            case ValueType::unistr:
                w.u32(static_cast<std::uint32_t>(e.blobs.size()));
                for (const auto& b : e.blobs) {
                    // unistr sizes count the NUL, and the NUL is sent (5.2).
                    w.u32(static_cast<std::uint32_t>(b.size() + 1));
                    w.bytes(b);
                    w.u8(0);
                }
                break;
        }
    }
}

Result<Pack> Pack::decode(ByteSpan wire, const PackLimits& limits) {
    if (wire.size() > limits.max_total_bytes) {
        return Error(ErrorCode::limit_exceeded, "PACK of " + std::to_string(wire.size()) +
                                                    " bytes exceeds the limit of " +
                                                    std::to_string(limits.max_total_bytes));
    }
    ByteReader r(wire);
    std::uint32_t count = 0;
    if (!r.read_u32(count))
        return malformed("truncated element count");
    if (count > limits.max_elements) {
        return Error(ErrorCode::limit_exceeded, "PACK claims " + std::to_string(count) + " elements (limit " +
                                                    std::to_string(limits.max_elements) + ")");
    }
    Pack pack;
    // Never reserve from a claimed count beyond what the bytes could hold (an element is >= 13 bytes).
    pack.elements_.reserve(std::min<std::size_t>(count, r.remaining() / 13));
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::string where = "element " + std::to_string(i);
        std::uint32_t name_len = 0;
        if (!r.read_u32(name_len))
            return malformed(where + ": truncated name length");
        if (name_len == 0)
            return malformed(where + ": zero name length");
        ByteSpan name_bytes;
        if (!r.read_span(name_len - 1, name_bytes))
            return malformed(where + ": truncated name");
        std::string name(as_text(name_bytes).substr(0, kMaxNameLength));
        const std::string at = where + " '" + name + "'";
        std::uint32_t type = 0, values = 0;
        if (!r.read_u32(type) || !r.read_u32(values))
            return malformed(at + ": truncated header");
        if (type > static_cast<std::uint32_t>(ValueType::int64)) {
            return malformed(at + ": unknown value type " + std::to_string(type));
        }
        if (values == 0)
            return malformed(at + ": zero value count");
        if (values > limits.max_values_per_element) {
            return Error(ErrorCode::limit_exceeded,
                         "PACK: " + at + " has " + std::to_string(values) + " values");
        }
        if (pack.find(name))
            return malformed(at + ": duplicate name");
        Element element;
        element.name = std::move(name);
        element.type = static_cast<ValueType>(type);
        for (std::uint32_t v = 0; v < values; ++v) {
            switch (element.type) {
                case ValueType::integer: {
                    std::uint32_t n = 0;
                    if (!r.read_u32(n))
                        return malformed(at + ": truncated int");
                    element.numbers.push_back(n);
                    break;
                }
                case ValueType::int64: {
                    std::uint64_t n = 0;
                    if (!r.read_u64(n))
                        return malformed(at + ": truncated int64");
                    element.numbers.push_back(n);
                    break;
                }
                case ValueType::data:
                case ValueType::str:
                case ValueType::unistr: {
                    std::uint32_t size = 0;
                    if (!r.read_u32(size))
                        return malformed(at + ": truncated value size");
                    if (size > limits.max_value_bytes) {
                        return Error(ErrorCode::limit_exceeded,
                                     "PACK: " + at + " value of " + std::to_string(size) + " bytes");
                    }
                    ByteSpan bytes;
                    if (!r.read_span(size, bytes))
                        return malformed(at + ": truncated value");
                    if (element.type == ValueType::unistr && !bytes.empty() && bytes.back() == 0) {
                        bytes = bytes.first(bytes.size() - 1);
                    }
                    element.blobs.emplace_back(bytes.begin(), bytes.end());
                    break;
                }
            }
        }
        pack.elements_.push_back(std::move(element));
    }
    return pack;
}

}  // namespace vpnse::proto
