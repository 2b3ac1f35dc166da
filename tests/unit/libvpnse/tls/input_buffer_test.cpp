#include <catch2/catch.hpp>

#include "tls/input_buffer.hpp"

using namespace vpnse;
using tls::InputBuffer;

namespace {
Bytes run(std::size_t size, std::uint8_t seed) {
    Bytes out(size);
    for (std::size_t i = 0; i < size; ++i)
        out[i] = static_cast<std::uint8_t>(seed + i);
    return out;
}
}  // namespace

TEST_CASE("InputBuffer keeps unread bytes in order across reads, compaction and growth", "[tls]") {
    InputBuffer buffer;
    Bytes expected;
    std::uint8_t seed = 0;
    // Reads of varying size, consumption lagging behind: every path of prepare() is taken.
    for (std::size_t round = 0; round < 200; ++round) {
        const std::size_t want = 1 + (round * 7919) % 70000;
        auto space = buffer.prepare(want);
        REQUIRE(space.size() >= want);
        const std::size_t got = 1 + (round * 104729) % want;
        const Bytes chunk = run(got, seed);
        seed = static_cast<std::uint8_t>(seed + 31);
        std::copy(chunk.begin(), chunk.end(), space.begin());
        buffer.commit(got);
        expected.insert(expected.end(), chunk.begin(), chunk.end());

        const std::size_t eat = (round % 3 == 0) ? expected.size() : expected.size() / 2;
        REQUIRE(Bytes(buffer.readable().begin(), buffer.readable().end()) == expected);
        buffer.consume(eat);
        expected.erase(expected.begin(), expected.begin() + static_cast<std::ptrdiff_t>(eat));
    }
    REQUIRE(Bytes(buffer.readable().begin(), buffer.readable().end()) == expected);
}

TEST_CASE("InputBuffer append, take_all and over-long commit/consume", "[tls]") {
    InputBuffer buffer;
    const Bytes ten = run(10, 1);
    buffer.append(ten);
    buffer.append({});
    buffer.consume(3);
    CHECK(buffer.take_all() == Bytes(ten.begin() + 3, ten.end()));
    CHECK(buffer.readable().empty());
    auto space = buffer.prepare(4);
    buffer.commit(space.size() + 100);  // clamped to the prepared space
    CHECK(buffer.readable().size() == space.size());
    buffer.consume(1'000'000);
    CHECK(buffer.readable().empty());
}
