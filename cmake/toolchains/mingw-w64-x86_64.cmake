# Cross-compiling for 64-bit Windows with Debian's mingw-w64 (g++-mingw-w64-x86-64-posix: the posix
# thread model, which std::thread, std::mutex and Asio's threads need). Tests run under wine64
# (Debian's wine64 installs its launcher as /usr/lib/wine/wine64, not on PATH).
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)

# Target libraries: mingw's own, then what scripts/build-windows-deps built (VPNSE_WINDOWS_DEPS).
set(VPNSE_WINDOWS_DEPS "" CACHE PATH "Prefix that scripts/build-windows-deps filled")
set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32 ${VPNSE_WINDOWS_DEPS})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

set(CMAKE_CROSSCOMPILING_EMULATOR /usr/lib/wine/wine64)
