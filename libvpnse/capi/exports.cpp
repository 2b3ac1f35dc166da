// libvpnse.so is built from the capi archive (linked whole); this file only gives the target a source.
#include "vpnse.h"
