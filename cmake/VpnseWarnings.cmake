# Warnings for our own targets only; third-party headers come in as system includes.
add_library(vpnse_warnings INTERFACE)
target_compile_options(vpnse_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Wcast-align -Wformat=2 -Wimplicit-fallthrough)
if(VPNSE_WERROR)
    target_compile_options(vpnse_warnings INTERFACE -Werror)
endif()
