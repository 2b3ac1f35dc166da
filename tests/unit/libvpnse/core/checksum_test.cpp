#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>

#include "core/bytes.hpp"
#include "core/checksum.hpp"

using namespace vpnse;

namespace {

// RFC 1071 as written, independent of the code under test: big-endian 16-bit words, an odd tail padded
// with zero, end-around carry. Returns the folded sum, not complemented.
std::uint16_t naive_sum(ByteSpan data) {
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i < data.size(); i += 2) {
        sum += static_cast<std::uint32_t>(data[i] << 8 | (i + 1 < data.size() ? data[i + 1] : 0));
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return static_cast<std::uint16_t>(sum);
}

Bytes random_bytes(std::mt19937& rng, std::size_t size) {
    Bytes out(size);
    for (auto& b : out)
        b = static_cast<std::uint8_t>(rng());
    return out;
}

}  // namespace

TEST_CASE("RFC 1071 section 3 example: sum ddf2, checksum 220d") {
    const Bytes data{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    CHECK(csum_fold(csum_add(data)) == 0xddf2);
    CHECK(internet_checksum(data) == 0x220d);
    // Chained in even-length pieces, as the RFC's incremental form allows.
    const ByteSpan all(data);
    CHECK(csum_fold(csum_add(all.subspan(4), csum_add(all.first(4)))) == 0xddf2);
    CHECK(csum_fold(csum_add(all.subspan(6), csum_add(all.subspan(2, 4), csum_add(all.first(2))))) == 0xddf2);
}

TEST_CASE("an IPv4 header: the stored checksum, and 0 / ffff once it is included") {
    Bytes header{0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
    const std::uint16_t checksum = internet_checksum(header);
    CHECK(checksum == 0xb861);
    store_be16(header.data() + 10, checksum);
    CHECK(header[10] == 0xb8);
    CHECK(internet_checksum(header) == 0);
    CHECK(csum_fold(csum_add(header)) == 0xffff);
}

TEST_CASE("odd lengths pad the last byte with zero") {
    CHECK(csum_fold(csum_add(Bytes{})) == 0);
    CHECK(csum_fold(csum_add(Bytes{0x01})) == 0x0100);
    CHECK(csum_fold(csum_add(Bytes{0x01, 0x02, 0x03})) == 0x0402);
    CHECK(internet_checksum(Bytes{0xab}) == 0x54ff);
    // The odd piece may end a chain.
    const Bytes data{0x12, 0x34, 0x56};
    CHECK(csum_fold(csum_add(ByteSpan(data).subspan(2), csum_add(ByteSpan(data).first(2)))) == 0x6834);
}

TEST_CASE("every length from every unaligned start agrees with the naive sum") {
    std::mt19937 rng(7);
    const Bytes data = random_bytes(rng, 300);
    for (std::size_t start = 0; start < 8; ++start) {
        for (std::size_t n = 0; n + start <= data.size(); ++n) {
            const ByteSpan span = ByteSpan(data).subspan(start, n);
            REQUIRE(csum_fold(csum_add(span)) == naive_sum(span));
        }
    }
}

TEST_CASE("random buffers, chained at random even offsets, agree with the naive sum") {
    std::mt19937 rng(2024);
    for (int round = 0; round < 2000; ++round) {
        const Bytes data = random_bytes(rng, rng() % 4000);
        const ByteSpan span(data);
        INFO("size " << data.size());
        REQUIRE(internet_checksum(span) == static_cast<std::uint16_t>(~naive_sum(span)));
        CsumPartial sum;
        std::size_t at = 0;
        while (at < span.size()) {
            const std::size_t piece =
                std::min<std::size_t>((rng() % 300) & ~std::size_t{1}, span.size() - at);
            const std::size_t take = piece == 0 ? span.size() - at : piece;
            sum = csum_add(span.subspan(at, take), sum);
            at += take;
        }
        REQUIRE(csum_fold(sum) == naive_sum(span));
    }
}

TEST_CASE("carries: long runs of ff bytes and long chains") {
    const Bytes ones(1 << 20, 0xff);
    CHECK(internet_checksum(ones) == 0);
    CHECK(csum_fold(csum_add(ones)) == 0xffff);
    CsumPartial sum;
    for (int i = 0; i < 10000; ++i)
        sum = csum_add(ByteSpan(ones).first(64), sum);
    CHECK(csum_fold(sum) == 0xffff);
}

TEST_CASE("the pseudo-header sums like its bytes laid out in IPv4 and IPv6 form") {
    std::mt19937 rng(99);
    const Bytes src4 = random_bytes(rng, 4), dst4 = random_bytes(rng, 4);
    Bytes v4 = src4;
    v4.insert(v4.end(), dst4.begin(), dst4.end());
    v4.insert(v4.end(), {0, 17, 0x05, 0xdc});  // zero, UDP, length 1500
    CHECK(csum_fold(csum_pseudo_header(src4, dst4, 17, 1500)) == naive_sum(v4));

    const Bytes src6 = random_bytes(rng, 16), dst6 = random_bytes(rng, 16);
    Bytes v6 = src6;
    v6.insert(v6.end(), dst6.begin(), dst6.end());
    v6.insert(v6.end(), {0x00, 0x01, 0x00, 0x10, 0, 0, 0, 58});  // 65552 bytes, ICMPv6
    CHECK(csum_fold(csum_pseudo_header(src6, dst6, 58, 65552)) == naive_sum(v6));
}
