# vpnsed.exe (included by daemon/CMakeLists.txt in the Windows cross build): the OS-neutral components
# (settings, protocol, service, api, the JSON-RPC dispatcher and Connection) and this folder's
# Windows parts: the named pipe, the caller from the client token, the service, the Wintun backend and
# the session-only tunnels.
set(daemon_dir ${CMAKE_CURRENT_SOURCE_DIR})
vpnse_component(NAME vpnsed_protocol DIR ${daemon_dir}/protocol
    INCLUDE_ROOT ${daemon_dir} PUBLIC_DEPS vpnse_core nlohmann_json::nlohmann_json)
vpnse_component(NAME vpnsed_service DIR ${daemon_dir}/service
    INCLUDE_ROOT ${daemon_dir} PUBLIC_DEPS vpnse_core vpnse_ether vpnse_profile vpnse_asio
    DEPS vpnse_import vpnsed_platform_base)
vpnse_component(NAME vpnsed_api DIR ${daemon_dir}/api
    INCLUDE_ROOT ${daemon_dir} PUBLIC_DEPS vpnsed_service vpnsed_protocol)
# The Unix socket and SO_PEERCRED stay out; platform/windows/pipe_server.cpp is this build's front door.
vpnse_component(NAME vpnsed_rpc DIR ${daemon_dir}/rpc
    INCLUDE_ROOT ${daemon_dir} PUBLIC_DEPS vpnsed_api vpnsed_protocol vpnse_asio
    EXCLUDE unix_server.cpp peer_credentials.cpp)
# The OS-neutral Tunnel; platform/windows/wintun_tunnel_factory.cpp wires it to the Windows backends.
vpnse_component(NAME vpnsed_tunnel DIR ${daemon_dir}/tunnel
    INCLUDE_ROOT ${daemon_dir} PUBLIC_DEPS vpnsed_service vpnsed_settings vpnse_client vpnsed_platform_base
    EXCLUDE tunnel_factory_linux.cpp)
vpnse_component(NAME vpnsed_platform_windows DIR ${daemon_dir}/platform/windows
    INCLUDE_ROOT ${daemon_dir} PUBLIC_DEPS vpnsed_rpc vpnsed_service vpnsed_tunnel vpnse_client vpnse_asio
    EXCLUDE atomic_file.cpp vpnsed_main.cpp)
# iphlpapi: only what wine has too (ConvertInterfaceLuidToIndex); the rest of IP Helper and wintun.dll
# are resolved at run time (ip_helper_api.hpp, wintun_library.hpp).
target_link_libraries(vpnsed_platform_windows PUBLIC advapi32 iphlpapi)

add_executable(vpnsed ${daemon_dir}/platform/windows/vpnsed_main.cpp)
target_compile_definitions(vpnsed PRIVATE VPNSE_VERSION="${PROJECT_VERSION}")
target_link_libraries(vpnsed PRIVATE vpnse_warnings vpnsed_platform_windows vpnsed_settings shell32 ole32 uuid)
install(TARGETS vpnsed RUNTIME DESTINATION bin COMPONENT vpnse_sdk)
