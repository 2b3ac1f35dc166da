# Where the systemd snippets go. With the prefix /usr (the Debian packages) Debian 12 expects units in
# /lib/systemd/system (lintian flags /usr/lib/systemd/system before the /usr-merge move in Debian 13) and
# sysusers.d/tmpfiles.d snippets in /usr/lib; any other prefix keeps everything under the prefix, so a
# `cmake --install` to /usr/local or a staging directory never writes outside it.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
    set(vpnse_default_unitdir /lib/systemd/system)
else()
    set(vpnse_default_unitdir ${CMAKE_INSTALL_PREFIX}/lib/systemd/system)
endif()
set(VPNSE_SYSTEMD_UNITDIR ${vpnse_default_unitdir} CACHE PATH "systemd system unit directory")
set(VPNSE_SYSUSERSDIR ${CMAKE_INSTALL_PREFIX}/lib/sysusers.d CACHE PATH "sysusers.d directory")
# GNUInstallDirs maps the /usr prefix's sysconfdir to /etc.
set(VPNSE_CONFDIR ${CMAKE_INSTALL_FULL_SYSCONFDIR}/vpnse)
