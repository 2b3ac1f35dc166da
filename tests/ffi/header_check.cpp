// vpnse.h must compile as C++ too (the C99 side is ffi_c_test.c), and its return codes must be exactly
// vpnse::ErrorCode's: for every entry of error.hpp's VPNSE_ERROR_CODES a VPNSE_E_<NAME> (VPNSE_OK for
// ok) with the same number, and no other. vpnse.h is read as text because the preprocessor can
// neither list the macros a header defines nor turn auth_failed into AUTH_FAILED; the numbers are also
// checked against the shared library's vpnse_error_name.
#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "vpnse.h"
#include "vpnse/error.hpp"

namespace {

using Codes = std::map<std::string, std::string>;  // macro name -> value as written

Codes header_codes(const char* path) {
    Codes codes;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string directive, name, value;
        if (!(words >> directive >> name) || directive != "#define")
            continue;
        if (name == "VPNSE_OK" || name.rfind("VPNSE_E_", 0) == 0) {
            words >> value;
            codes[name] = value;
        }
    }
    return codes;
}

std::string macro_name(std::string code) {
    if (code == "ok")
        return "VPNSE_OK";
    for (auto& c : code)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return "VPNSE_E_" + code;
}

Codes error_hpp_codes() {
    Codes codes;
#define VPNSE_CODE_ENTRY(name, value, description) codes[macro_name(#name)] = #value;
    VPNSE_ERROR_CODES(VPNSE_CODE_ENTRY)
#undef VPNSE_CODE_ENTRY
    return codes;
}

// Every code's name from the library itself, so the table compiled into libvpnse.so agrees too.
int check_library_names() {
    int failures = 0;
#define VPNSE_CODE_NAME(name, value, description)                                                            \
    if (std::string(vpnse_error_name(value)) != #name) {                                                     \
        std::fprintf(stderr, "vpnse_error_name(%d) is %s, not %s\n", value, vpnse_error_name(value), #name); \
        ++failures;                                                                                          \
    }
    VPNSE_ERROR_CODES(VPNSE_CODE_NAME)
#undef VPNSE_CODE_NAME
    return failures;
}

}  // namespace

int main() {
    int failures = 0;
    const Codes expected = error_hpp_codes();
    const Codes actual = header_codes(VPNSE_C_HEADER);
    for (const auto& [name, value] : expected) {
        const auto it = actual.find(name);
        if (it == actual.end()) {
            std::fprintf(stderr, "vpnse.h lacks #define %s %s\n", name.c_str(), value.c_str());
            ++failures;
        } else if (it->second != value) {
            std::fprintf(stderr, "vpnse.h has %s %s, error.hpp %s\n", name.c_str(), it->second.c_str(),
                         value.c_str());
            ++failures;
        }
    }
    for (const auto& [name, value] : actual) {
        if (!expected.contains(name)) {
            std::fprintf(stderr, "vpnse.h defines %s %s, which error.hpp does not have\n", name.c_str(),
                         value.c_str());
            ++failures;
        }
    }
    failures += check_library_names();
    if (vpnse_abi_version() != VPNSE_ABI_VERSION)
        ++failures;
    std::printf("%zu codes checked, %d failures\n", expected.size(), failures);
    return failures == 0 ? 0 : 1;
}
