/* The C API from plain C99: argument checks, a real connection to the fixture, ICMP echo through the
 * packet API, clean disconnect, no callback after vpnse_client_free, and vpnse_client_free from inside a
 * callback.
 * Usage: ffi_c_test PROFILE.toml GATEWAY_IP */
#define _POSIX_C_SOURCE 200809L
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "support/c_driver.h"
#include "vpnse.h"

/* The flags below are written on the client's thread (in callbacks) and read on the main thread, or the
 * other way round: C99 has no atomics, so one mutex guards them all (TSan checks this driver). */
static pthread_mutex_t g_flags_lock = PTHREAD_MUTEX_INITIALIZER;

static int flag_get(const int* flag) {
    int value;
    pthread_mutex_lock(&g_flags_lock);
    value = *flag;
    pthread_mutex_unlock(&g_flags_lock);
    return value;
}

static void flag_add(int* flag, int delta) {
    pthread_mutex_lock(&g_flags_lock);
    *flag += delta;
    pthread_mutex_unlock(&g_flags_lock);
}

static int g_freed = 0;
static int g_state_calls = 0;

static void on_state(void* user, int state, int error_code, const char* message) {
    (void)user;
    (void)state;
    (void)error_code;
    (void)message;
    if (flag_get(&g_freed)) {
        fprintf(stderr, "FAIL: a callback ran after vpnse_client_free returned\n");
        abort();
    }
    flag_add(&g_state_calls, 1);
}

/* The second client frees itself from its own state callback once the server has answered. */
static vpnse_client* g_self = NULL; /* set before the connect that starts the callbacks */
static int g_self_freed = 0;
static int g_self_calls_after = 0;

static void free_on_authenticating(void* user, int state, int error_code, const char* message) {
    (void)user;
    (void)error_code;
    (void)message;
    if (flag_get(&g_self_freed)) {
        flag_add(&g_self_calls_after, 1);
        return;
    }
    if (state == VPNSE_STATE_AUTHENTICATING) {
        vpnse_client_free(g_self); /* returns at once; the client thread finishes the close */
        flag_add(&g_self_freed, 1);
    }
}

/* The third client frees itself from its protect callback, before its first connect(2). */
static int g_protect_freed = 0;

static int free_on_protect(void* user, intptr_t socket) {
    (void)socket;
    vpnse_client_free((vpnse_client*)user);
    flag_add(&g_protect_freed, 1);
    return 0;
}

static void sleep_ms(long ms) {
    struct timespec t;
    t.tv_sec = ms / 1000;
    t.tv_nsec = (ms % 1000) * 1000000L;
    nanosleep(&t, NULL);
}

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
            return 1;                                                       \
        }                                                                   \
    } while (0)

int main(int argc, char** argv) {
    char error[512];
    vpnse_config* config = NULL;
    vpnse_client* client = NULL;
    vpnse_callbacks callbacks;
    vpnse_network network;
    vpnse_stats stats;
    unsigned char packet[84], reply[2048], source[4], target[4];
    int tun[2];
    size_t size = 0;
    int state = -1, i, answered = 0;
    char* toml;
    char hash[64];

    if (argc != 3) {
        fprintf(stderr, "usage: %s PROFILE GATEWAY\n", argv[0]);
        return 2;
    }

    /* Calls with NULL handles return an error, never crash. */
    CHECK(vpnse_abi_version() == VPNSE_ABI_VERSION);
    CHECK(strlen(vpnse_version()) > 0);
    CHECK(strcmp(vpnse_error_name(VPNSE_E_AUTH_FAILED), "auth_failed") == 0);
    CHECK(vpnse_client_connect(NULL) == VPNSE_E_INVALID_ARGUMENT);
    CHECK(vpnse_client_state(NULL, &state) == VPNSE_E_INVALID_ARGUMENT);
    CHECK(vpnse_client_send_packet(NULL, packet, sizeof packet) == VPNSE_E_INVALID_ARGUMENT);
    CHECK(vpnse_client_create(NULL, NULL, &client) == VPNSE_E_INVALID_ARGUMENT);
    CHECK(vpnse_client_create((const vpnse_config*)&packet, NULL, &client) == VPNSE_E_INVALID_ARGUMENT);
    vpnse_client_free(NULL);
    vpnse_config_free(NULL);
    CHECK(vpnse_password_hash("alice", "secret", hash, sizeof hash) == VPNSE_OK);
    CHECK(strcmp(hash, "DngtrNt4kY1zAHmZ2oG8QIkG1FE=") == 0);

    /* Configuration errors come back as text naming the key. */
    CHECK(vpnse_config_parse(
              "[server]\nhost = \"h\"\nhub = \"H\"\n[auth]\nmethod = \"anonymous\"\n"
              "username = \"u\"\n[tls]\nverify = \"insecure\"\n[session]\nmax_connections = 99\n",
              "bad", &config, error, sizeof error) == VPNSE_E_CONFIG_INVALID);
    CHECK(strstr(error, "max_connections") != NULL);
    CHECK(config == NULL);

    /* Key by key: incomplete until checked complete; a wrong value for the key just set is refused at once.
     */
    CHECK(vpnse_config_new("not a name", &config) == VPNSE_E_INVALID_ARGUMENT);
    CHECK(vpnse_config_new("kv", &config) == VPNSE_OK);
    CHECK(vpnse_config_check(config, error, sizeof error) == VPNSE_E_CONFIG_INVALID);
    CHECK(strstr(error, "server.host") != NULL);
    CHECK(vpnse_client_create(config, NULL, &client) == VPNSE_E_CONFIG_INVALID);
    CHECK(vpnse_config_set_string(config, "server.host", "10.0.0.1", error, sizeof error) == VPNSE_OK);
    CHECK(vpnse_config_set_string(config, "server.hub", "HUB", error, sizeof error) == VPNSE_OK);
    CHECK(vpnse_config_set_string(config, "auth.method", "anonymous", error, sizeof error) == VPNSE_OK);
    CHECK(vpnse_config_set_string(config, "auth.username", "u", error, sizeof error) == VPNSE_OK);
    CHECK(vpnse_config_set_string(config, "tls.verify", "insecure", error, sizeof error) == VPNSE_OK);
    CHECK(vpnse_config_check(config, error, sizeof error) == VPNSE_OK);
    CHECK(vpnse_config_set_integer(config, "server.port", 70000, error, sizeof error) ==
          VPNSE_E_CONFIG_INVALID);
    CHECK(strstr(error, "server.port") != NULL);
    CHECK(vpnse_config_set_boolean(config, "server.hots", 1, error, sizeof error) == VPNSE_E_CONFIG_INVALID);
    CHECK(strstr(error, "server.hots") != NULL);
    CHECK(vpnse_config_set_string(config, "server..host", "x", error, sizeof error) ==
          VPNSE_E_CONFIG_INVALID);
    CHECK(vpnse_config_check(config, NULL, 0) == VPNSE_OK); /* the refused keys changed nothing */
    vpnse_config_free(config);

    toml = read_file(argv[1]);
    CHECK(toml != NULL);
    CHECK(vpnse_config_parse(toml, "ffi", &config, error, sizeof error) == VPNSE_OK);
    free(toml);
    /* Setters work on a parsed profile too; the session below runs with two connections. */
    CHECK(vpnse_config_set_integer(config, "session.max_connections", 2, error, sizeof error) == VPNSE_OK);
    CHECK(vpnse_config_set_host_name(config, "") == VPNSE_E_INVALID_ARGUMENT);
    CHECK(vpnse_config_set_host_name(config, "two words") == VPNSE_E_INVALID_ARGUMENT);
    CHECK(vpnse_config_set_host_name(NULL, "ffi-host") == VPNSE_E_INVALID_ARGUMENT);
    CHECK(vpnse_config_set_host_name(config, "ffi-host") == VPNSE_OK);
    /* Proxy settings follow the [proxy] key rules; NONE takes the proxy away again. */
    CHECK(vpnse_config_set_proxy(config, 7, "p", 3128, NULL, NULL, error, sizeof error) ==
          VPNSE_E_INVALID_ARGUMENT);
    CHECK(vpnse_config_set_proxy(config, VPNSE_PROXY_HTTP, "proxy.example", 0, NULL, NULL, error,
                                 sizeof error) == VPNSE_E_INVALID_ARGUMENT);
    CHECK(strstr(error, "port") != NULL);
    CHECK(vpnse_config_set_proxy(config, VPNSE_PROXY_HTTP, "proxy.example", 3128, "a:b", "pw", error,
                                 sizeof error) == VPNSE_E_INVALID_ARGUMENT);
    CHECK(strstr(error, "username") != NULL);
    CHECK(vpnse_config_set_proxy(config, VPNSE_PROXY_SOCKS5, "proxy.example", 1080, "u", "pw", error,
                                 sizeof error) == VPNSE_OK);
    CHECK(vpnse_config_set_proxy(config, VPNSE_PROXY_NONE, NULL, 0, NULL, NULL, NULL, 0) == VPNSE_OK);
    /* A client certificate that is not one is refused at once, with the reason, and changes nothing. */
    CHECK(vpnse_config_set_client_certificate(config, NULL, 0, NULL, 0, NULL, 0) == VPNSE_E_INVALID_ARGUMENT);
    CHECK(vpnse_config_set_client_certificate(config, (const uint8_t*)"junk", 4, (const uint8_t*)"junk", 4,
                                              error, sizeof error) == VPNSE_E_CONFIG_INVALID);
    CHECK(strstr(error, "not an X.509 certificate") != NULL);
    /* UDP acceleration is off by default; this client asks for it (checked with vpnse_client_udp_stats). */
    CHECK(vpnse_config_set_boolean(config, "session.udp_acceleration", 1, error, sizeof error) == VPNSE_OK);
    CHECK(parse_ip(argv[2], target));

    memset(&callbacks, 0, sizeof callbacks);
    callbacks.on_state = on_state;
    callbacks.log_level = VPNSE_LOG_WARN;
    CHECK(vpnse_client_create(config, &callbacks, &client) == VPNSE_OK);
    vpnse_config_free(config); /* the client keeps its own copy */
    CHECK(vpnse_client_send_packet(client, packet, sizeof packet) == VPNSE_E_NOT_CONNECTED);
    CHECK(vpnse_client_connect(client) == VPNSE_OK);
    CHECK(vpnse_client_wait_state(client, VPNSE_STATE_ESTABLISHED, 30000) == VPNSE_OK);
    CHECK(vpnse_client_network(client, &network) == VPNSE_OK);
    printf("tunnel %s/%u gateway %s dns %s routes %u\n", network.address, network.prefix_length,
           network.gateway, network.dns_count ? network.dns[0] : "-", network.route_count);
    CHECK(parse_ip(network.address, source));
    {
        /* IPv6: the link-local address (from the MAC) shows up by index; past the end is NOT_FOUND. */
        char address6[VPNSE_ADDRESS_SIZE];
        uint32_t prefix6 = 0;
        int rc6 = VPNSE_E_NOT_FOUND;
        for (i = 0; i < 30 && rc6 == VPNSE_E_NOT_FOUND; ++i) {
            rc6 = vpnse_client_ipv6_address(client, 0, address6, sizeof address6, &prefix6);
            if (rc6 == VPNSE_E_NOT_FOUND)
                poll(NULL, 0, 100);
        }
        CHECK(rc6 == VPNSE_OK && strncmp(address6, "fe80:", 5) == 0 && prefix6 == 64);
        CHECK(vpnse_client_ipv6_address(client, 99, address6, sizeof address6, &prefix6) ==
              VPNSE_E_NOT_FOUND);
        CHECK(vpnse_client_ipv6_address(client, 0, NULL, 0, &prefix6) == VPNSE_E_INVALID_ARGUMENT);
        CHECK(vpnse_client_ipv6_dns(client, 99, address6, sizeof address6) == VPNSE_E_NOT_FOUND);
    }

    /* ICMP echo to the SecureNAT gateway through the packet API. */
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

    /* The same through TUN-fd mode: a SOCK_SEQPACKET pair keeps packet boundaries like a TUN fd does. */
    CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, tun) == 0);
    CHECK(vpnse_client_attach_tun_fd(client, -1) == VPNSE_E_INVALID_ARGUMENT);
    CHECK(vpnse_client_attach_tun_fd(client, tun[0]) == VPNSE_OK);
    close(tun[0]); /* the library works on its own duplicate */
    answered = 0;
    for (i = 11; i <= 20 && !answered; ++i) {
        struct pollfd readable;
        ssize_t n;
        make_echo(packet, source, target, i);
        CHECK(write(tun[1], packet, sizeof packet) == (ssize_t)sizeof packet);
        readable.fd = tun[1];
        readable.events = POLLIN;
        while (!answered && poll(&readable, 1, 1000) == 1 && (n = read(tun[1], reply, sizeof reply)) > 0)
            answered = is_echo_reply(reply, (size_t)n);
    }
    CHECK(answered);
    CHECK(vpnse_client_detach_tun_fd(client) == VPNSE_OK);
    close(tun[1]);
    CHECK(answered);
    CHECK(vpnse_client_stats(client, &stats) == VPNSE_OK);
    CHECK(stats.packets_in >= 1 && stats.connections >= 1);
    {
        /* UDP acceleration is on by default and the 5.01 server picks V2 (being active takes 10 s). */
        vpnse_udp_stats udp;
        CHECK(vpnse_client_udp_stats(client, &udp) == VPNSE_OK);
        CHECK(udp.supported == 1 && udp.version == 2 && udp.datagrams_sent >= 1);
        CHECK(vpnse_client_udp_stats(client, NULL) == VPNSE_E_INVALID_ARGUMENT);
    }

    CHECK(vpnse_client_disconnect(client) == VPNSE_OK);
    CHECK(vpnse_client_wait_state(client, VPNSE_STATE_DISCONNECTED, 10000) == VPNSE_OK);
    CHECK(vpnse_client_last_error(client, error, sizeof error) == VPNSE_OK);
    vpnse_client_free(client);
    flag_add(&g_freed, 1);
    /* A freed handle is recognised, not dereferenced. */
    CHECK(vpnse_client_state(client, &state) == VPNSE_E_INVALID_ARGUMENT);
    CHECK(flag_get(&g_state_calls) >= 3);

    /* Freeing a client from inside its own callback is safe and ends its callbacks. */
    toml = read_file(argv[1]);
    CHECK(toml != NULL);
    CHECK(vpnse_config_parse(toml, "ffi", &config, error, sizeof error) == VPNSE_OK);
    free(toml);
    memset(&callbacks, 0, sizeof callbacks);
    callbacks.on_state = free_on_authenticating;
    CHECK(vpnse_client_create(config, &callbacks, &client) == VPNSE_OK);
    vpnse_config_free(config);
    g_self = client;
    CHECK(vpnse_client_connect(client) == VPNSE_OK);
    for (i = 0; i < 300 && !flag_get(&g_self_freed); ++i)
        sleep_ms(100);
    CHECK(flag_get(&g_self_freed));
    CHECK(vpnse_client_state(client, &state) == VPNSE_E_INVALID_ARGUMENT);
    sleep_ms(3500); /* longer than the close may take: nothing may call back meanwhile */
    CHECK(flag_get(&g_self_calls_after) == 0);

    toml = read_file(argv[1]);
    CHECK(toml != NULL);
    CHECK(vpnse_config_parse(toml, "ffi", &config, error, sizeof error) == VPNSE_OK);
    free(toml);
    CHECK(vpnse_client_create(config, NULL, &client) == VPNSE_OK);
    vpnse_config_free(config);
    CHECK(vpnse_client_set_protect_callback(client, free_on_protect, client) == VPNSE_OK);
    CHECK(vpnse_client_connect(client) == VPNSE_OK);
    for (i = 0; i < 300 && !flag_get(&g_protect_freed); ++i)
        sleep_ms(100);
    CHECK(flag_get(&g_protect_freed));
    sleep_ms(3500);
    CHECK(vpnse_client_state(client, &state) == VPNSE_E_INVALID_ARGUMENT);
    printf("PASS ffi_c\n");
    return 0;
}
