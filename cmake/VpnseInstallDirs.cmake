# Where the systemd snippets and /etc files go. With the prefix /usr (the Debian packages) Debian 12 expects
# units in /lib/systemd/system (lintian flags /usr/lib/systemd/system before the /usr-merge move in Debian 13),
# sysusers.d snippets in /usr/lib and configuration in /etc. Any other prefix keeps everything under it, as
# relative paths, so `cmake --install --prefix DIR` and DESTDIR staging never write outside the prefix.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
    set(vpnse_default_unitdir /lib/systemd/system)
    set(VPNSE_CONFDIR /etc/vpnse)
else()
    set(vpnse_default_unitdir lib/systemd/system)
    set(VPNSE_CONFDIR ${CMAKE_INSTALL_SYSCONFDIR}/vpnse)
endif()
set(VPNSE_SYSTEMD_UNITDIR ${vpnse_default_unitdir} CACHE STRING "systemd system unit directory")
set(VPNSE_SYSUSERSDIR lib/sysusers.d CACHE STRING "sysusers.d directory")
