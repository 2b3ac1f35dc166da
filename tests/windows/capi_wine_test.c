/* vpnse.dll from a Windows C program, run under wine64 against the real SoftEther server: version and
 * argument checks, a real connection (Winsock through Asio's IOCP backend, mbedTLS handshake, libcrypto
 * records), the tunnel configuration, ICMP echo to the SecureNAT gateway through the packet API, TUN-fd
 * mode reported as unsupported, statistics and a clean disconnect.
 * Usage: capi_wine_test PROFILE.toml GATEWAY_IP */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/c_driver.h"
#include "vpnse.h"

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
            return 1;                                                       \
        }                                                                   \
    } while (0)

static volatile int g_state_calls = 0;

static void on_state(void* user, int state, int error_code, const char* message) {
    (void)user;
    (void)state;
    (void)error_code;
    (void)message;
    g_state_calls++;
}

static volatile int g_protected = 0;

/* The socket handed over is a Winsock SOCKET; an app would bind it to the physical interface here. */
static int count_protect(void* user, intptr_t socket) {
    (void)user;
    if (socket != 0 && socket != -1)
        g_protected++;
    return 0;
}

int main(int argc, char** argv) {
    char error[512];
    char hash[64];
    vpnse_config* config = NULL;
    vpnse_client* client = NULL;
    vpnse_callbacks callbacks;
    vpnse_network network;
    vpnse_stats stats;
    unsigned char packet[84], reply[2048], source[4], target[4];
    size_t size = 0;
    int state = -1, i, answered = 0;
    char* toml;

    if (argc != 3) {
        fprintf(stderr, "usage: %s PROFILE GATEWAY\n", argv[0]);
        return 2;
    }
    CHECK(vpnse_abi_version() == VPNSE_ABI_VERSION);
    CHECK(strlen(vpnse_version()) > 0);
    CHECK(vpnse_client_connect(NULL) == VPNSE_E_INVALID_ARGUMENT);
    CHECK(vpnse_client_state(NULL, &state) == VPNSE_E_INVALID_ARGUMENT);
    CHECK(vpnse_password_hash("alice", "secret", hash, sizeof hash) == VPNSE_OK);
    CHECK(strcmp(hash, "DngtrNt4kY1zAHmZ2oG8QIkG1FE=") == 0);

    toml = read_file(argv[1]);
    CHECK(toml != NULL);
    CHECK(vpnse_config_parse(toml, "wine", &config, error, sizeof error) == VPNSE_OK);
    free(toml);
    CHECK(vpnse_config_set_integer(config, "session.max_connections", 2, error, sizeof error) == VPNSE_OK);
    CHECK(parse_ip(argv[2], target));

    memset(&callbacks, 0, sizeof callbacks);
    callbacks.on_state = on_state;
    callbacks.log_level = VPNSE_LOG_WARN;
    CHECK(vpnse_client_create(config, &callbacks, &client) == VPNSE_OK);
    vpnse_config_free(config);
    CHECK(vpnse_client_set_protect_callback(client, count_protect, NULL) == VPNSE_OK);
    CHECK(vpnse_client_attach_tun_fd(client, 3) == VPNSE_E_NOT_SUPPORTED); /* no TUN fds on Windows */
    CHECK(vpnse_client_connect(client) == VPNSE_OK);
    if (vpnse_client_wait_state(client, VPNSE_STATE_ESTABLISHED, 30000) != VPNSE_OK) {
        vpnse_client_last_error(client, error, sizeof error);
        fprintf(stderr, "FAIL: not established: %s\n", error);
        return 1;
    }
    CHECK(vpnse_client_network(client, &network) == VPNSE_OK);
    printf("tunnel %s/%u gateway %s dns %s routes %u\n", network.address, network.prefix_length,
           network.gateway, network.dns_count ? network.dns[0] : "-", network.route_count);
    CHECK(parse_ip(network.address, source));
    CHECK(network.prefix_length > 0 && network.prefix_length <= 32);
    CHECK(g_protected >= 1);

    for (i = 1; i <= 10 && !answered; ++i) {
        make_echo(packet, source, target, i);
        CHECK(vpnse_client_send_packet(client, packet, sizeof packet) == VPNSE_OK);
        while (vpnse_client_recv_packet(client, reply, sizeof reply, 1000, &size) == VPNSE_OK) {
            if (is_echo_reply(reply, size)) {
                answered = 1;
                break;
            }
        }
    }
    CHECK(answered);
    CHECK(vpnse_client_stats(client, &stats) == VPNSE_OK);
    CHECK(stats.packets_in >= 1 && stats.connections >= 1);

    CHECK(vpnse_client_disconnect(client) == VPNSE_OK);
    CHECK(vpnse_client_wait_state(client, VPNSE_STATE_DISCONNECTED, 10000) == VPNSE_OK);
    vpnse_client_free(client);
    CHECK(g_state_calls >= 3);
    printf("PASS capi_wine (echo reply after %d request(s), %d connection(s))\n", i - 1,
           (int)stats.connections);
    return 0;
}
