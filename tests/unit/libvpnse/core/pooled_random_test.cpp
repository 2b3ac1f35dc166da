#include "core/pooled_random.hpp"

#include <catch2/catch.hpp>
#include <vector>

using vpnse::PooledRandom;
using vpnse::SeededRandom;

namespace {
// Counts the source's calls: the point of the pool is few of them.
class CountingRandom final : public vpnse::RandomSource {
  public:
    void fill(std::span<std::uint8_t> out) override {
        ++calls;
        inner.fill(out);
    }
    SeededRandom inner{7};
    int calls = 0;
};
}  // namespace

TEST_CASE("pooled random: the source's bytes in order, across refills and odd sizes") {
    SeededRandom direct(7);
    std::vector<std::uint8_t> expected(10000);
    // The source is read in 4096-byte blocks: draw the same blocks straight from an identical source.
    std::vector<std::uint8_t> blocks(3 * 4096);
    direct.fill(std::span(blocks).subspan(0, 4096));
    direct.fill(std::span(blocks).subspan(4096, 4096));
    direct.fill(std::span(blocks).subspan(8192, 4096));
    std::copy(blocks.begin(), blocks.begin() + 10000, expected.begin());

    CountingRandom source;
    PooledRandom pooled(source);
    std::vector<std::uint8_t> got;
    for (std::size_t size : {1u, 3u, 4095u, 4096u, 1u, 1805u}) {
        std::vector<std::uint8_t> part(size);
        pooled.fill(part);
        got.insert(got.end(), part.begin(), part.end());
    }
    REQUIRE(got.size() == 10001);
    got.pop_back();
    CHECK(got == expected);
    CHECK(source.calls == 3);
}

TEST_CASE("pooled random: one source call covers a thousand 4-byte draws") {
    CountingRandom source;
    PooledRandom pooled(source);
    for (int i = 0; i < 1024; ++i)
        (void)pooled.uniform(100);
    CHECK(source.calls == 1);
    (void)pooled.next_u32();
    CHECK(source.calls == 2);
}
