#pragma once
// The one skip rule for C++ (Catch2 v2 has no SKIP). A test case whose precondition is missing calls
// skip_or_fail(why) and returns:
//   - under VPNSE_NO_SKIP=1 (scripts/test) it FAILS the test case, naming what is missing;
//   - otherwise the case counts as skipped: the remaining cases still run, and if nothing failed the
//     process exits 77 (catch_main.cpp), which ctest reports as skipped (SKIP_RETURN_CODE 77).
#include <string>

namespace vpnse::test {

bool no_skip();                             // VPNSE_NO_SKIP=1 in the environment
void skip_or_fail(const std::string& why);  // see above; callers return right after it
int skipped_count();                        // how many skip_or_fail calls skipped in this process

}  // namespace vpnse::test

// Convenience for test cases: skip_or_fail and return from the test case.
#define VPNSE_SKIP_OR_FAIL(why)           \
    do {                                  \
        ::vpnse::test::skip_or_fail(why); \
        return;                           \
    } while (0)
