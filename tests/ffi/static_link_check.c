/* An app linking libvpnse.a instead of the shared library. */
#include <stdio.h>
#include <string.h>

#include "vpnse.h"

int main(void) {
    char hash[64];
    if (vpnse_password_hash("alice", "secret", hash, sizeof hash) != VPNSE_OK)
        return 1;
    if (strcmp(hash, "DngtrNt4kY1zAHmZ2oG8QIkG1FE=") != 0)
        return 1;
    if (vpnse_client_connect(NULL) != VPNSE_E_INVALID_ARGUMENT)
        return 1;
    printf("static libvpnse %s: 1 passed, 0 failed\n", vpnse_version());
    return 0;
}
