#include "core/rc4.hpp"

#include <catch2/catch.hpp>
#include <vector>

using vpnse::Rc4;

TEST_CASE("rc4: RFC 6229 keystream, 40-bit key 0102030405, offset 0") {
    const std::uint8_t key[] = {1, 2, 3, 4, 5};
    std::vector<std::uint8_t> zeros(16, 0);
    Rc4(key).apply(zeros);
    CHECK(zeros == std::vector<std::uint8_t>{0xb2, 0x39, 0x63, 0x05, 0xf0, 0x3d, 0xc0, 0x27, 0xcc, 0xc3, 0x52,
                                             0x4a, 0x0a, 0x11, 0x18, 0xa8});
}

TEST_CASE("rc4: the keystream continues across calls, and applying twice restores") {
    const std::uint8_t key[] = {'E', 'n', 'c', 'r', 'y', 'p', 't', 'P'};
    std::vector<std::uint8_t> whole(9, 0), split(9, 0);
    Rc4(key).apply(whole);
    Rc4 halves(key);
    halves.apply(std::span(split).first(4));
    halves.apply(std::span(split).subspan(4));
    CHECK(whole == split);
    // The keystream SoftEther's account files use: checked against "pass word" as vpncmd stored it.
    CHECK(whole == std::vector<std::uint8_t>{0x6e, 0x9f, 0x64, 0xe2, 0x70, 0x2d, 0x6c, 0x5b, 0xcd});
}
