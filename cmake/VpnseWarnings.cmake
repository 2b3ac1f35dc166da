# Warnings for our own targets only; third-party headers come in as system includes.
add_library(vpnse_warnings INTERFACE)
target_compile_options(vpnse_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Wcast-align -Wformat=2 -Wimplicit-fallthrough)
if(VPNSE_WERROR)
    target_compile_options(vpnse_warnings INTERFACE -Werror)
endif()

# libFuzzer builds (tests/fuzz): every library a fuzz target links gets the coverage instrumentation and the
# sanitizers, not only the target's own file. Without it libFuzzer saw only the harness (~100 counters) and
# mutated blind, and ASan never looked inside the parsers. UB aborts, so libFuzzer records it as a crash.
if(VPNSE_FUZZ)
    add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
        -fno-omit-frame-pointer)
    add_link_options(-fsanitize=address,undefined)
endif()
