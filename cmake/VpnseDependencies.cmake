# Every dependency comes from a Debian bookworm package (see scripts/deps).
if(WIN32)
    include(VpnseDependenciesWindows)   # the mingw-w64 cross build (scripts/build-windows)
    return()
endif()
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(ZLIB REQUIRED)                      # zlib1g-dev: per-block compression on the data channel

# libasio-dev: standalone, header-only.
find_path(ASIO_INCLUDE_DIR asio.hpp REQUIRED)
add_library(vpnse_asio INTERFACE)
target_include_directories(vpnse_asio SYSTEM INTERFACE ${ASIO_INCLUDE_DIR})
# Asio decides between aligned_alloc/free and operator new/delete for its recycled handler memory from
# whether a libstdc++ header came before its own in each translation unit; units that disagree free
# with the other allocator's function (ASan: alloc-dealloc-mismatch). Pin one choice for every unit.
target_compile_definitions(vpnse_asio INTERFACE ASIO_STANDALONE ASIO_NO_DEPRECATED ASIO_DISABLE_STD_ALIGNED_ALLOC)
target_link_libraries(vpnse_asio INTERFACE Threads::Threads)

# libmbedtls-dev 2.28 ships neither CMake config nor pkg-config files.
find_path(MBEDTLS_INCLUDE_DIR mbedtls/ssl.h REQUIRED)
find_library(MBEDTLS_LIBRARY mbedtls REQUIRED)
find_library(MBEDX509_LIBRARY mbedx509 REQUIRED)
find_library(MBEDCRYPTO_LIBRARY mbedcrypto REQUIRED)
add_library(vpnse_mbedtls INTERFACE)
target_include_directories(vpnse_mbedtls SYSTEM INTERFACE ${MBEDTLS_INCLUDE_DIR})
target_link_libraries(vpnse_mbedtls INTERFACE ${MBEDTLS_LIBRARY} ${MBEDX509_LIBRARY} ${MBEDCRYPTO_LIBRARY})

# libssl-dev (OpenSSL 3.0): only libcrypto's AEAD ciphers, for the TLS records after mbedTLS's handshake.
find_package(OpenSSL 3 REQUIRED COMPONENTS Crypto)

find_package(tomlplusplus 3 REQUIRED CONFIG)     # libtomlplusplus-dev
find_package(nlohmann_json 3 REQUIRED CONFIG)    # nlohmann-json3-dev

if(VPNSE_BUILD_DAEMON)
    find_package(sdbus-c++ 1 REQUIRED CONFIG)    # libsdbus-c++-dev (+ libsystemd-dev)
    pkg_check_modules(LIBNL_ROUTE REQUIRED IMPORTED_TARGET libnl-route-3.0)   # libnl-3-dev, libnl-route-3-dev
    pkg_check_modules(LIBSYSTEMD REQUIRED IMPORTED_TARGET libsystemd)
    pkg_check_modules(LIBNFTABLES REQUIRED IMPORTED_TARGET libnftables)      # libnftables-dev: the kill switch
    # The NetworkManager plugin (networkmanager/) and its editor pages, one per toolkit; GLOBAL for the GUI tests.
    pkg_check_modules(LIBNM REQUIRED IMPORTED_TARGET GLOBAL libnm)          # libnm-dev
    pkg_check_modules(GTK3 REQUIRED IMPORTED_TARGET GLOBAL gtk+-3.0)        # libgtk-3-dev
    pkg_check_modules(GTK4 REQUIRED IMPORTED_TARGET GLOBAL gtk4)            # libgtk-4-dev
endif()

if(VPNSE_BUILD_TESTS)
    find_package(Catch2 2 REQUIRED CONFIG)       # catch2 (v2)
endif()
