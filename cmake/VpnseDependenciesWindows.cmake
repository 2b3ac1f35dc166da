# Dependencies of the Windows cross build (cmake/toolchains/mingw-w64-x86_64.cmake). Everything comes from
# VPNSE_WINDOWS_DEPS, which scripts/build-windows-deps fills from Debian packages: mbedTLS, libcrypto and zlib
# built from Debian's source packages, and links to the host's header-only Debian libraries (Asio,
# nlohmann/json, toml++, Catch2) so the cross compiler never sees the host's /usr/include.
if(NOT VPNSE_WINDOWS_DEPS OR NOT EXISTS ${VPNSE_WINDOWS_DEPS}/include/asio.hpp)
    message(FATAL_ERROR "VPNSE_WINDOWS_DEPS (${VPNSE_WINDOWS_DEPS}) is not a prefix that scripts/build-windows-deps "
                        "filled; run scripts/build-windows, which builds it first")
endif()
set(vpnse_windows_include ${VPNSE_WINDOWS_DEPS}/include)
set(vpnse_windows_lib ${VPNSE_WINDOWS_DEPS}/lib)

find_package(Threads REQUIRED)

# Windows 10 is the oldest target (Wintun, SetInterfaceDnsSettings); Asio's IOCP backend needs Winsock.
add_library(vpnse_asio INTERFACE)
target_include_directories(vpnse_asio SYSTEM INTERFACE ${vpnse_windows_include})
target_compile_definitions(vpnse_asio INTERFACE ASIO_STANDALONE ASIO_NO_DEPRECATED ASIO_DISABLE_STD_ALIGNED_ALLOC
    _WIN32_WINNT=0x0A00 WIN32_LEAN_AND_MEAN NOMINMAX)
target_link_libraries(vpnse_asio INTERFACE Threads::Threads ws2_32 mswsock)

add_library(vpnse_mbedtls INTERFACE)
target_include_directories(vpnse_mbedtls SYSTEM INTERFACE ${vpnse_windows_include})
target_link_libraries(vpnse_mbedtls INTERFACE ${vpnse_windows_lib}/libmbedtls.a ${vpnse_windows_lib}/libmbedx509.a
    ${vpnse_windows_lib}/libmbedcrypto.a bcrypt ws2_32)

add_library(OpenSSL::Crypto INTERFACE IMPORTED)
target_include_directories(OpenSSL::Crypto SYSTEM INTERFACE ${vpnse_windows_include})
target_link_libraries(OpenSSL::Crypto INTERFACE ${vpnse_windows_lib}/libcrypto.a crypt32 ws2_32 bcrypt)

add_library(ZLIB::ZLIB INTERFACE IMPORTED)
target_include_directories(ZLIB::ZLIB SYSTEM INTERFACE ${vpnse_windows_include})
target_link_libraries(ZLIB::ZLIB INTERFACE ${vpnse_windows_lib}/libz.a)

# Header-only on Windows (Debian's Linux build links its shared library instead).
add_library(tomlplusplus::tomlplusplus INTERFACE IMPORTED)
target_include_directories(tomlplusplus::tomlplusplus SYSTEM INTERFACE ${vpnse_windows_include})
target_compile_definitions(tomlplusplus::tomlplusplus INTERFACE TOML_HEADER_ONLY=1)

add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
target_include_directories(nlohmann_json::nlohmann_json SYSTEM INTERFACE ${vpnse_windows_include})

if(VPNSE_BUILD_TESTS)
    add_library(Catch2::Catch2 INTERFACE IMPORTED)
    target_include_directories(Catch2::Catch2 SYSTEM INTERFACE ${vpnse_windows_include})
endif()

# One self-contained vpnse.dll and .exe files: libstdc++, libgcc and winpthread linked in, no MinGW DLLs to ship.
add_link_options(-static)
# mingw-w64's time.h offers the POSIX localtime_r/gmtime_r only on request; the shared code uses them.
add_compile_definitions(_POSIX_THREAD_SAFE_FUNCTIONS=200112L)
