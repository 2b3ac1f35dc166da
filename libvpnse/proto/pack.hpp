#pragma once
// SoftEther's PACK: the key/value message of the handshake (softether-protocol.md 5).
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"
#include "vpnse/ip.hpp"
#include "vpnse/result.hpp"

namespace vpnse::proto {

enum class ValueType : std::uint32_t { integer = 0, data = 1, str = 2, unistr = 3, int64 = 4 };

// Hard limits for PACKs we read. The server's own are far larger (5.4); the largest legitimate
// server PACK is a welcome with a long hub message, so 1 MiB is plenty.
struct PackLimits {
    std::size_t max_elements = 4096;
    std::size_t max_values_per_element = 65536;
    std::size_t max_value_bytes = 1 << 20;
    std::size_t max_total_bytes = 1 << 20;
};

class Pack {
  public:
    // set_* replace an existing element of the same name; names compare ASCII-case-insensitively (5.3).
    void set_int(std::string_view name, std::uint32_t value);
    void set_bool(std::string_view name, bool value) { set_int(name, value ? 1 : 0); }
    void set_int64(std::string_view name, std::uint64_t value);
    void set_data(std::string_view name, ByteSpan value);
    void set_str(std::string_view name, std::string_view value);
    void set_unistr(std::string_view name, std::string_view utf8);
    void set_int_array(std::string_view name, std::span<const std::uint32_t> values);
    void set_str_array(std::string_view name, std::span<const std::string> values);
    // The four-element form of PackAddIp (5.6): name@ipv6_bool, name@ipv6_array (the IPv6 address, zeros
    // for IPv4), name@ipv6_scope_id and name (the IPv4 address octet-reversed, 0 for IPv6).
    void set_ip(std::string_view name, const IpAddress& ip);
    void remove(std::string_view name);

    // Typed getters are strict (an unistr is not a str, 5.3): nullopt when absent or of another type.
    std::optional<std::uint32_t> get_int(std::string_view name, std::size_t index = 0) const;
    bool get_bool(std::string_view name, bool fallback = false) const;
    std::optional<std::uint64_t> get_int64(std::string_view name, std::size_t index = 0) const;
    std::optional<ByteSpan> get_data(std::string_view name, std::size_t index = 0) const;
    std::optional<std::string_view> get_str(std::string_view name, std::size_t index = 0) const;
    std::optional<std::string_view> get_unistr(std::string_view name, std::size_t index = 0) const;
    std::size_t value_count(std::string_view name) const;
    // Reads set_ip's form back: IPv6 from name@ipv6_array when name@ipv6_bool is 1, else IPv4 from name.
    // nullopt when that element is missing or malformed (an array that is not 16 bytes).
    std::optional<IpAddress> get_ip(std::string_view name) const;
    bool contains(std::string_view name) const { return find(name) != nullptr; }
    std::size_t size() const { return elements_.size(); }
    std::vector<std::string> names() const;

    Bytes encode() const;
    void encode_to(Bytes& out) const;
    // Strict reader: truncation, a zero name length or value count, an unknown type, duplicate names
    // and exceeded limits are errors naming the element; bytes after the last element are ignored (5.5).
    static Result<Pack> decode(ByteSpan wire, const PackLimits& limits = {});

  private:
    struct Element {
        std::string name;
        ValueType type = ValueType::integer;
        std::vector<std::uint64_t> numbers;  // integer, int64
        std::vector<Bytes> blobs;            // data, str, unistr (unistr without its NUL)
    };
    const Element* find(std::string_view name) const;
    Element& replace(std::string_view name, ValueType type);

    std::vector<Element> elements_;
};

bool names_equal(std::string_view a, std::string_view b);

}  // namespace vpnse::proto
