// vpnse.h must compile as C++ too (the C99 side is ffi_c_test.c).
#include "vpnse.h"

static_assert(VPNSE_E_AUTH_FAILED == 9, "codes are vpnse::ErrorCode values");
int main() {
    return vpnse_abi_version() == VPNSE_ABI_VERSION ? 0 : 1;
}
