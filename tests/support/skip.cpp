#include "support/skip.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string_view>

namespace vpnse::test {
namespace {
std::atomic<int> g_skipped{0};
}

bool no_skip() {
    const char* v = std::getenv("VPNSE_NO_SKIP");
    return v != nullptr && std::string_view(v) == "1";
}

void skip_or_fail(const std::string& why) {
    if (no_skip())
        FAIL("missing precondition: " << why << " (VPNSE_NO_SKIP=1: a missing precondition is a failure)");
    ++g_skipped;
    WARN("SKIP: " << why);
    SUCCEED("skipped");  // counts as an assertion, so --warn NoAssertions does not fail the skipped case
}

int skipped_count() {
    return g_skipped.load();
}

}  // namespace vpnse::test
