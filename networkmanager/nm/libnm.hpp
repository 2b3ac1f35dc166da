#pragma once
// <NetworkManager.h> for C++. libnm 1.42's nm-errors.h declares its error quarks without extern "C";
// declaring the ones we use with C linkage first makes the header's own declarations inherit it.
#include <glib.h>

extern "C" GQuark nm_vpn_plugin_error_quark(void);
extern "C" GQuark nm_connection_error_quark(void);

#include <NetworkManager.h>
