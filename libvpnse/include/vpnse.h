/* vpnse.h: the C API of libvpnse, a SoftEther VPN client library.
 *
 * ABI version 1. Opaque handles, plain C types, explicit ownership. Every function returns 0 (VPNSE_OK)
 * or a vpnse error code: the same numbers as vpnse::ErrorCode, the JSON-RPC `data.code` and the logs
 * (1..999 are SoftEther's own server error numbers). Invalid or NULL handles give VPNSE_E_INVALID_ARGUMENT,
 * never a crash.
 *
 * Threading: each client runs its own internal thread (its "client thread"). Every function may be called
 * from any thread, including from inside a callback. Every callback (state, packet, log, network, stats,
 * protect) runs on the client thread, one at a time, never while the library holds a lock, so a callback
 * may call any vpnse_* function on its own client, vpnse_client_free included: freeing from a callback
 * returns at once, and the thread finishes the clean close and releases the handle after the callback
 * returns. No callback runs after vpnse_client_free returns (called from a callback: after that callback
 * returns). A slow callback delays the tunnel:
 * hand heavy work to another thread.
 *
 * The library never touches the host's network configuration: the app builds its TUN (or VpnService /
 * NEPacketTunnelProvider) from vpnse_network, and then either hands the TUN's file descriptor over
 * (vpnse_client_attach_tun_fd: the library moves the packets) or moves IP packets itself with
 * vpnse_client_send_packet and the packet callback or vpnse_client_recv_packet. Secrets (passwords,
 * hashes, keys) never appear in log lines or error messages. docs/c-api.md walks through the lifecycle.
 */
#ifndef VPNSE_H
#define VPNSE_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define VPNSE_API __declspec(dllexport)
#else
#define VPNSE_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define VPNSE_ABI_VERSION 1

/* Return codes: every vpnse::ErrorCode, same names and numbers (tests/ffi/header_check.cpp holds this
 * list to error.hpp's). 1017 is retired. */
#define VPNSE_OK 0
/* SoftEther server error numbers (1..999). */
#define VPNSE_E_CONNECT_FAILED 1
#define VPNSE_E_SERVER_NOT_VPN 2
#define VPNSE_E_DISCONNECTED 3
#define VPNSE_E_PROTOCOL_ERROR 4
#define VPNSE_E_AUTHTYPE_NOT_SUPPORTED 7
#define VPNSE_E_HUB_NOT_FOUND 8
#define VPNSE_E_AUTH_FAILED 9
#define VPNSE_E_HUB_STOPPING 10
#define VPNSE_E_SESSION_REMOVED 11
#define VPNSE_E_ACCESS_DENIED 12
#define VPNSE_E_SESSION_TIMEOUT 13
#define VPNSE_E_INVALID_PROTOCOL 14
#define VPNSE_E_TOO_MANY_CONNECTIONS 15
#define VPNSE_E_HUB_IS_BUSY 16
#define VPNSE_E_TOO_MANY_USER_SESSIONS 20
#define VPNSE_E_NOT_SUPPORTED 33
#define VPNSE_E_COULD_NOT_HOST_HUB_ON_FARM 49
#define VPNSE_E_NULL_PASSWORD_LOCAL_ONLY 51
#define VPNSE_E_TOO_MANY_USERS 63
#define VPNSE_E_CERT_NOT_TRUSTED 85
#define VPNSE_E_VERSION_INVALID 87
#define VPNSE_E_SERVER_CANT_ACCEPT 105
#define VPNSE_E_SERVER_CERT_EXPIRED 106
#define VPNSE_E_MONITOR_MODE_DENIED 107
#define VPNSE_E_BRIDGE_MODE_DENIED 108
#define VPNSE_E_IP_ADDRESS_DENIED 109
#define VPNSE_E_BRANDED_CLIENT_TO_SERVER 124
#define VPNSE_E_BRANDED_CLIENT_FROM_SERVER 125
#define VPNSE_E_AUTO_DISCONNECTED 126
#define VPNSE_E_CLIENT_ID_REQUIRED 127
#define VPNSE_E_HOSTNAME_MISMATCH 149
/* vpnse's own (1000 and up). */
#define VPNSE_E_INVALID_ARGUMENT 1000
#define VPNSE_E_CONFIG_INVALID 1001
#define VPNSE_E_MALFORMED_INPUT 1002
#define VPNSE_E_LIMIT_EXCEEDED 1003
#define VPNSE_E_TLS_FAILED 1004
#define VPNSE_E_CERT_PIN_MISMATCH 1005
#define VPNSE_E_TIMEOUT 1006
#define VPNSE_E_CANCELLED 1007
#define VPNSE_E_NOT_FOUND 1008
#define VPNSE_E_ALREADY_EXISTS 1009
#define VPNSE_E_PERMISSION_DENIED 1010
#define VPNSE_E_IO_ERROR 1011
#define VPNSE_E_INTERNAL 1012
#define VPNSE_E_NOT_CONNECTED 1013
#define VPNSE_E_SERVER_ERROR 1014
#define VPNSE_E_RESOLVE_FAILED 1015
#define VPNSE_E_INVALID_STATE 1016

/* Tunnel states. */
#define VPNSE_STATE_DISCONNECTED 0
#define VPNSE_STATE_CONNECTING 1
#define VPNSE_STATE_AUTHENTICATING 2
#define VPNSE_STATE_CONFIGURING 3
#define VPNSE_STATE_ESTABLISHED 4
#define VPNSE_STATE_RECONNECTING 5

/* Log levels. */
#define VPNSE_LOG_TRACE 0
#define VPNSE_LOG_DEBUG 1
#define VPNSE_LOG_INFO 2
#define VPNSE_LOG_WARN 3
#define VPNSE_LOG_ERROR 4

typedef struct vpnse_config vpnse_config;
typedef struct vpnse_client vpnse_client;

/* "0.1.0". Static storage; thread-safe. */
VPNSE_API const char* vpnse_version(void);
VPNSE_API int vpnse_abi_version(void);
/* "auth_failed" for 9; "unknown" for numbers vpnse does not define. Static storage; thread-safe. */
VPNSE_API const char* vpnse_error_name(int code);

/* Parses a profile (TOML, keys in docs/configuration.md). On failure returns VPNSE_E_CONFIG_INVALID and,
 * if error_text is not NULL, writes a NUL-terminated message naming the key into it. `name` becomes the
 * profile name ([a-zA-Z0-9_-]{1,32}). The caller owns *out and frees it with vpnse_config_free. */
VPNSE_API int vpnse_config_parse(const char* toml, const char* name, vpnse_config** out, char* error_text,
                                 size_t error_size);
/* Same from a file; the profile name is the file's stem. */
VPNSE_API int vpnse_config_load(const char* path, vpnse_config** out, char* error_text, size_t error_size);
VPNSE_API void vpnse_config_free(vpnse_config* config); /* NULL is fine */

/* Key by key: an empty profile named `name` ([a-zA-Z0-9_-]{1,32}), filled with vpnse_config_set_*. The
 * keys are those of the TOML, dotted ("server.host", "auth.method", "session.max_connections"); the
 * setters also change a parsed config. Keys may come in any order. The profile is validated as a whole
 * (the first problem is reported): when that problem is the key just set (unknown, or a wrong value), the
 * setter returns VPNSE_E_CONFIG_INVALID with a message naming it in error_text (may be NULL) and the
 * config stays as it was; any other problem (a required key not set yet) waits for vpnse_config_check,
 * and vpnse_client_create refuses an incomplete config with VPNSE_E_CONFIG_INVALID. Not thread-safe per
 * config. */
VPNSE_API int vpnse_config_new(const char* name, vpnse_config** out);
VPNSE_API int vpnse_config_set_string(vpnse_config* config, const char* key, const char* value,
                                      char* error_text, size_t error_size);
VPNSE_API int vpnse_config_set_integer(vpnse_config* config, const char* key, int64_t value, char* error_text,
                                       size_t error_size);
VPNSE_API int vpnse_config_set_boolean(vpnse_config* config, const char* key, int value, char* error_text,
                                       size_t error_size);
/* VPNSE_OK when the config is a complete, valid profile; else VPNSE_E_CONFIG_INVALID and the reason. */
VPNSE_API int vpnse_config_check(const vpnse_config* config, char* error_text, size_t error_size);
/* This machine's name, sent to the server at login and in DHCP requests (the library asks the OS for
 * nothing; without it the name is "vpnse"). 1..255 printable ASCII characters, else
 * VPNSE_E_INVALID_ARGUMENT. */
VPNSE_API int vpnse_config_set_host_name(vpnse_config* config, const char* host_name);

/* Proxy types for vpnse_config_set_proxy (profile: proxy.type). */
#define VPNSE_PROXY_NONE 0
#define VPNSE_PROXY_HTTP 1   /* HTTP CONNECT; Basic credentials when username is given */
#define VPNSE_PROXY_SOCKS5 2 /* SOCKS5; username/password (RFC 1929) when username is given */
/* Sends every connection through a proxy, replacing the profile's [proxy] section. username and password
 * may be NULL (no credentials); with VPNSE_PROXY_NONE every other argument is ignored and the proxy is
 * removed. The rules of the profile keys apply (docs/configuration.md); on a violation returns
 * VPNSE_E_INVALID_ARGUMENT and, if error_text is not NULL, writes which argument is wrong into it. The
 * password is copied and never logged. With a proxy the library connects only to the proxy, never to
 * the server itself: an app keeping the server outside its tunnel must exclude the proxy's address. */
VPNSE_API int vpnse_config_set_proxy(vpnse_config* config, int type, const char* host, uint16_t port,
                                     const char* username, const char* password, char* error_text,
                                     size_t error_size);

/* Certificate login (profile: auth.method = "certificate"): the client certificate and its unencrypted
 * RSA private key (1024..4096 bits), each PEM or DER, from memory. Both are copied and checked at once:
 * on a problem (unparsable, encrypted or non-RSA key, key not matching the certificate, certificate out
 * of its validity period) returns VPNSE_E_CONFIG_INVALID and, if error_text is not NULL, the reason. The
 * profile's user name stays the login name; its other authentication settings are replaced (the text
 * gets auth.method = "certificate"; the bytes win over auth.cert_file / auth.key_file and stay across
 * later vpnse_config_set_* calls). A profile with auth.method = "certificate" and no auth.cert_file
 * parses, and waits for this call (vpnse_config_check says so). The key is never logged. */
VPNSE_API int vpnse_config_set_client_certificate(vpnse_config* config, const uint8_t* certificate,
                                                  size_t certificate_size, const uint8_t* private_key,
                                                  size_t private_key_size, char* error_text,
                                                  size_t error_size);

typedef void (*vpnse_state_callback)(void* user, int state, int error_code, const char* error_message);
typedef void (*vpnse_packet_callback)(void* user, const uint8_t* packet, size_t size);
typedef void (*vpnse_log_callback)(void* user, int level, const char* component, const char* message);

typedef struct vpnse_callbacks {
    vpnse_state_callback on_state;   /* optional */
    vpnse_packet_callback on_packet; /* optional; when NULL, packets queue for vpnse_client_recv_packet */
    vpnse_log_callback on_log;       /* optional */
    int log_level;                   /* VPNSE_LOG_*; records below it are not produced */
    void* user;                      /* passed back to every callback */
} vpnse_callbacks;

/* Creates a client for `config` (copied; the config may be freed afterwards). callbacks may be NULL. */
VPNSE_API int vpnse_client_create(const vpnse_config* config, const vpnse_callbacks* callbacks,
                                  vpnse_client** out);
/* Disconnects cleanly (bounded by 3 s), stops the internal thread and frees. NULL is fine. From one of the
 * client's own callbacks it returns at once; the client thread finishes the close and frees afterwards. */
VPNSE_API void vpnse_client_free(vpnse_client* client);

/* Non-blocking: progress is reported through on_state and vpnse_client_state. */
VPNSE_API int vpnse_client_connect(vpnse_client* client);
VPNSE_API int vpnse_client_disconnect(vpnse_client* client);
/* Waits until the client is in `state`, or disconnected with an error (returns that error), or the time
 * runs out (VPNSE_E_TIMEOUT). */
VPNSE_API int vpnse_client_wait_state(vpnse_client* client, int state, int timeout_ms);

VPNSE_API int vpnse_client_state(vpnse_client* client, int* state);
/* Returns the last error code (VPNSE_OK if none) and writes its message into text when not NULL. */
VPNSE_API int vpnse_client_last_error(vpnse_client* client, char* text, size_t text_size);

typedef struct vpnse_stats {
    uint64_t bytes_in, bytes_out, packets_in, packets_out, dropped;
    uint32_t connections, reconnects;
    uint64_t uptime_seconds;
} vpnse_stats;
VPNSE_API int vpnse_client_stats(vpnse_client* client, vpnse_stats* stats);

/* SoftEther's UDP acceleration in the current session (profile key session.udp_acceleration, on by
 * default). A separate call so that vpnse_stats keeps its layout. All zero when no session runs. */
typedef struct vpnse_udp_stats {
    int32_t supported;  /* 1: the server accepted it */
    int32_t active;     /* 1: data goes over UDP now; 0: over the TCP connections */
    uint32_t version;   /* 1 (RC4 + SHA-1) or 2 (ChaCha20-Poly1305) */
    uint32_t fallbacks; /* times the UDP path went quiet and data went back to TCP */
    uint64_t datagrams_sent, datagrams_received, datagrams_dropped;
    uint64_t frames_sent, frames_received; /* Ethernet frames carried over UDP */
    uint64_t bytes_sent, bytes_received;   /* UDP payload bytes */
} vpnse_udp_stats;
VPNSE_API int vpnse_client_udp_stats(vpnse_client* client, vpnse_udp_stats* stats);

#define VPNSE_ADDRESS_SIZE 64
#define VPNSE_MAX_DNS 4
typedef struct vpnse_network {
    char address[VPNSE_ADDRESS_SIZE]; /* "192.168.30.10" */
    uint32_t prefix_length;
    char gateway[VPNSE_ADDRESS_SIZE];
    char dns[VPNSE_MAX_DNS][VPNSE_ADDRESS_SIZE];
    uint32_t dns_count;
    char domain[256];
    uint32_t mtu;
    uint32_t route_count; /* read them with vpnse_client_route */
    uint32_t lease_seconds;
} vpnse_network;
/* VPNSE_E_NOT_CONNECTED until the tunnel has an address. */
VPNSE_API int vpnse_client_network(vpnse_client* client, vpnse_network* network);
/* Route `index` (< route_count): destination "10.1.0.0/16" and gateway (may be empty). */
VPNSE_API int vpnse_client_route(vpnse_client* client, uint32_t index, char* destination,
                                 size_t destination_size, char* gateway, size_t gateway_size);

/* The tunnel's IPv6 addresses (link-local fe80::/64 from the MAC, and what the hub's router advertises,
 * SLAAC) and IPv6 DNS servers, by index from 0 until VPNSE_E_NOT_FOUND; "2001:db8::5" without brackets.
 * They may grow after VPNSE_STATE_ESTABLISHED (a later router advertisement): the network callback fires
 * again then. Thread-safe, like vpnse_client_network. */
VPNSE_API int vpnse_client_ipv6_address(vpnse_client* client, uint32_t index, char* address,
                                        size_t address_size, uint32_t* prefix_length);
VPNSE_API int vpnse_client_ipv6_dns(vpnse_client* client, uint32_t index, char* address, size_t address_size);

/* An IPv4/IPv6 packet from the app's TUN. Copied; thread-safe. VPNSE_E_NOT_CONNECTED unless established. */
VPNSE_API int vpnse_client_send_packet(vpnse_client* client, const uint8_t* packet, size_t size);
/* Without an on_packet callback, received packets wait in a bounded queue (oldest dropped when full).
 * Copies one into buffer and stores its size; VPNSE_E_TIMEOUT if none arrives within timeout_ms. */
VPNSE_API int vpnse_client_recv_packet(vpnse_client* client, uint8_t* buffer, size_t capacity, int timeout_ms,
                                       size_t* size);

/* --- Hooks for apps. Set them after vpnse_client_create and before vpnse_client_connect (a hook set
 * later applies from the next connection or report on). Each set_* call replaces the previous hook;
 * NULL removes it. They run on the client thread (see Threading above). */

/* Called with every socket the library opens to the server, before it connects, so the app can keep it
 * outside the tunnel (Android: VpnService.protect(fd); Linux: SO_MARK). `socket` is a file descriptor
 * (a SOCKET on Windows); do not close it. Return 0 when the socket is protected; anything else aborts
 * that connection: the client ends in VPNSE_STATE_DISCONNECTED (or retries, like any failed connection)
 * with VPNSE_E_PERMISSION_DENIED, "the app's protect callback refused socket N (returned R)". */
typedef int (*vpnse_protect_callback)(void* user, intptr_t socket);
VPNSE_API int vpnse_client_set_protect_callback(vpnse_client* client, vpnse_protect_callback protect,
                                                void* user);

typedef struct vpnse_route {
    char destination[VPNSE_ADDRESS_SIZE]; /* network address, "10.1.0.0" */
    uint32_t prefix_length;               /* 16 */
    char gateway[VPNSE_ADDRESS_SIZE];     /* "" when on-link */
} vpnse_route;
/* The tunnel's configuration is ready (or changed, e.g. a new DHCP lease): build or update the TUN from
 * it. Called before the state becomes VPNSE_STATE_ESTABLISHED. `network` and `routes` (route_count ==
 * network->route_count entries) are valid only during the call. */
typedef void (*vpnse_network_callback)(void* user, const vpnse_network* network, const vpnse_route* routes,
                                       size_t route_count);
VPNSE_API int vpnse_client_set_network_callback(vpnse_client* client, vpnse_network_callback on_network,
                                                void* user);

/* vpnse_client_stats every interval_ms (100 ms at least, else VPNSE_E_INVALID_ARGUMENT) while the client
 * exists, whatever its state; `stats` is valid only during the call. */
typedef void (*vpnse_stats_callback)(void* user, const vpnse_stats* stats);
VPNSE_API int vpnse_client_set_stats_callback(vpnse_client* client, vpnse_stats_callback on_stats,
                                              uint32_t interval_ms, void* user);

/* TUN-fd mode: the library reads IP packets from `fd` and sends them into the tunnel, and writes the
 * tunnel's packets to it, on the client thread, up to 64 packets per wake-up. The fd carries bare
 * IPv4/IPv6 packets, one per read or write (Linux IFF_TUN | IFF_NO_PI, as Android's VpnService hands
 * over; not IFF_VNET_HDR). Ownership: the library works on its own duplicate (dup) and closes that on
 * detach, on a later attach and in vpnse_client_free; the app keeps owning `fd` and may close it right
 * after this call returns (Android: ParcelFileDescriptor.close()). The duplicate shares the open file,
 * which the library sets non-blocking. While attached, the packet callback and vpnse_client_recv_packet
 * get nothing (packets go to the TUN); vpnse_client_send_packet still works. Attach before or after
 * connecting: packets flow while the tunnel is established, and the fd stays attached across
 * reconnects. Errors: VPNSE_E_INVALID_ARGUMENT (not an open fd). POSIX systems only: vpnse.dll answers
 * VPNSE_E_NOT_SUPPORTED (docs/windows.md). */
VPNSE_API int vpnse_client_attach_tun_fd(vpnse_client* client, int fd);
/* Stops moving packets and closes the library's duplicate; the packet callback gets them again. */
VPNSE_API int vpnse_client_detach_tun_fd(vpnse_client* client);

/* SoftEther's password hash, base64 (28 characters + NUL), to store instead of the password
 * (profile: auth.method = "password_hash"). */
VPNSE_API int vpnse_password_hash(const char* username, const char* password, char* out, size_t out_size);

#ifdef __cplusplus
}
#endif

#endif /* VPNSE_H */
