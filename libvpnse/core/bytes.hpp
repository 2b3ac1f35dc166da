#pragma once
// Bounds-checked big-endian reading and writing of byte buffers. Every parser of untrusted bytes
// reads through ByteReader, which never reads past its span and reports a short read as false.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vpnse {

using Bytes = std::vector<std::uint8_t>;
using ByteSpan = std::span<const std::uint8_t>;

inline ByteSpan as_bytes(std::string_view text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}
inline std::string_view as_text(ByteSpan bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

inline std::uint16_t load_be16(const std::uint8_t* p) {
    return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
inline std::uint32_t load_be32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}
inline std::uint64_t load_be64(const std::uint8_t* p) {
    return (std::uint64_t{load_be32(p)} << 32) | load_be32(p + 4);
}
inline void store_be16(std::uint8_t* p, std::uint16_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 8);
    p[1] = static_cast<std::uint8_t>(v);
}
inline void store_be32(std::uint8_t* p, std::uint32_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 24);
    p[1] = static_cast<std::uint8_t>(v >> 16);
    p[2] = static_cast<std::uint8_t>(v >> 8);
    p[3] = static_cast<std::uint8_t>(v);
}
inline void store_be64(std::uint8_t* p, std::uint64_t v) {
    store_be32(p, static_cast<std::uint32_t>(v >> 32));
    store_be32(p + 4, static_cast<std::uint32_t>(v));
}

// Little-endian, for the few formats that use it (e.g. the kernel's virtio_net_hdr).
inline std::uint16_t load_le16(const std::uint8_t* p) {
    return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}
inline void store_le16(std::uint8_t* p, std::uint16_t v) {
    p[0] = static_cast<std::uint8_t>(v);
    p[1] = static_cast<std::uint8_t>(v >> 8);
}

class ByteReader {
  public:
    explicit ByteReader(ByteSpan data) : data_(data) {}

    std::size_t remaining() const { return data_.size() - pos_; }
    std::size_t position() const { return pos_; }
    bool empty() const { return remaining() == 0; }

    bool read_u8(std::uint8_t& out) {
        if (remaining() < 1)
            return false;
        out = data_[pos_++];
        return true;
    }
    bool read_u16(std::uint16_t& out) {
        if (remaining() < 2)
            return false;
        out = load_be16(data_.data() + pos_);
        pos_ += 2;
        return true;
    }
    bool read_u32(std::uint32_t& out) {
        if (remaining() < 4)
            return false;
        out = load_be32(data_.data() + pos_);
        pos_ += 4;
        return true;
    }
    bool read_u64(std::uint64_t& out) {
        std::uint32_t hi = 0, lo = 0;
        if (remaining() < 8)
            return false;
        read_u32(hi);
        read_u32(lo);
        out = (std::uint64_t{hi} << 32) | lo;
        return true;
    }
    // A view of the next n bytes, valid as long as the underlying buffer.
    bool read_span(std::size_t n, ByteSpan& out) {
        if (remaining() < n)
            return false;
        out = data_.subspan(pos_, n);
        pos_ += n;
        return true;
    }
    bool skip(std::size_t n) {
        if (remaining() < n)
            return false;
        pos_ += n;
        return true;
    }
    ByteSpan rest() const { return data_.subspan(pos_); }

  private:
    ByteSpan data_;
    std::size_t pos_ = 0;
};

class ByteWriter {
  public:
    ByteWriter() = default;
    explicit ByteWriter(Bytes& out) : out_(&out) {}

    void u8(std::uint8_t v) { buf().push_back(v); }
    void u16(std::uint16_t v) {
        std::uint8_t b[2];
        store_be16(b, v);
        bytes({b, 2});
    }
    void u32(std::uint32_t v) {
        std::uint8_t b[4];
        store_be32(b, v);
        bytes({b, 4});
    }
    void u64(std::uint64_t v) {
        u32(static_cast<std::uint32_t>(v >> 32));
        u32(static_cast<std::uint32_t>(v));
    }
    void bytes(ByteSpan data) { buf().insert(buf().end(), data.begin(), data.end()); }
    void text(std::string_view s) { bytes(as_bytes(s)); }

    Bytes& buffer() { return buf(); }
    Bytes take() { return std::move(buf()); }

  private:
    Bytes& buf() { return out_ ? *out_ : own_; }
    Bytes own_;
    Bytes* out_ = nullptr;
};

// 0..15 for a hex digit of either case, -1 for anything else.
constexpr int hex_digit_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::string to_hex(ByteSpan bytes);
// Accepts upper or lower case, optional ':' separators; returns false on anything else.
bool from_hex(std::string_view text, Bytes& out);

}  // namespace vpnse
