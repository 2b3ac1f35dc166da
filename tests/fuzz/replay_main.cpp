// Runs a libFuzzer target without libFuzzer: every seed in the corpus folder, then a bounded number of
// deterministic mutations of each (bit flips, truncations, splices, length-field smashing). Any crash
// or sanitizer report fails the test; a clean run prints a summary line. A missing or empty corpus folder
// (or none given) fails too: replaying only the empty input would pass while testing nothing.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

std::uint64_t g_state = 0x2545F4914F6CDD1Dull;
std::uint32_t next() {
    g_state ^= g_state << 13;
    g_state ^= g_state >> 7;
    g_state ^= g_state << 17;
    return static_cast<std::uint32_t>(g_state >> 16);
}

std::vector<std::uint8_t> mutate(std::vector<std::uint8_t> input) {
    const unsigned rounds = 1 + next() % 4;
    for (unsigned r = 0; r < rounds; ++r) {
        switch (next() % 6) {
            case 0:  // flip a bit
                if (!input.empty())
                    input[next() % input.size()] ^= static_cast<std::uint8_t>(1u << (next() % 8));
                break;
            case 1:  // truncate
                if (!input.empty())
                    input.resize(next() % input.size());
                break;
            case 2:  // smash a 32-bit field with an extreme value
                if (input.size() >= 4) {
                    std::size_t at = next() % (input.size() - 3);
                    static const std::uint32_t extremes[] = {0,          1,       0x7fffffff,
                                                             0xffffffff, 0x10000, 0x1000000};
                    std::uint32_t v = extremes[next() % 6];
                    for (int i = 0; i < 4; ++i)
                        input[at + i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
                }
                break;
            case 3:  // duplicate a slice
                if (!input.empty() && input.size() < 100000) {
                    std::size_t from = next() % input.size();
                    std::size_t len = next() % (input.size() - from + 1);
                    std::vector<std::uint8_t> slice(input.begin() + from, input.begin() + from + len);
                    input.insert(input.begin() + next() % (input.size() + 1), slice.begin(), slice.end());
                }
                break;
            case 4:  // random byte
                if (!input.empty())
                    input[next() % input.size()] = static_cast<std::uint8_t>(next());
                break;
            default:  // append random bytes
                for (unsigned i = next() % 16; i > 0; --i)
                    input.push_back(static_cast<std::uint8_t>(next()));
                break;
        }
    }
    return input;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::vector<std::uint8_t>> seeds;
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; ++i) {
        std::filesystem::path dir(argv[i]);
        if (!std::filesystem::is_directory(dir)) {
            std::fprintf(stderr, "FAIL: corpus folder %s does not exist\n", argv[i]);
            return 1;
        }
        std::size_t files = 0;
        for (const auto& entry : std::filesystem::directory_iterator(dir)) {
            if (!entry.is_regular_file())
                continue;
            std::ifstream in(entry.path(), std::ios::binary);
            seeds.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
            ++files;
        }
        if (files == 0) {
            std::fprintf(stderr, "FAIL: corpus folder %s has no seed files\n", argv[i]);
            return 1;
        }
    }
    seeds.emplace_back();  // the empty input
    // Every seed runs; the mutated runs share one budget, so the replay's time stays flat as scripts/fuzz
    // grows the corpus (2000 per seed for a handful of seeds, a few dozen for hundreds).
    constexpr std::size_t kMutationBudget = 50'000;
    const std::size_t per_seed = std::clamp<std::size_t>(kMutationBudget / seeds.size(), 16, 2000);
    std::size_t runs = 0;
    for (const auto& seed : seeds) {
        LLVMFuzzerTestOneInput(seed.data(), seed.size());
        ++runs;
        for (std::size_t i = 0; i < per_seed; ++i) {
            auto input = mutate(seed);
            LLVMFuzzerTestOneInput(input.data(), input.size());
            ++runs;
        }
    }
    std::printf("replayed %zu seeds, %zu runs: %zu passed, 0 failed\n", seeds.size(), runs, runs);
    return 0;
}
