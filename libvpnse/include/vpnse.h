/* vpnse.h: the C API of libvpnse, a SoftEther VPN client library.
 *
 * ABI version 1. Opaque handles, plain C types, explicit ownership. Every function returns 0 (VPNSE_OK)
 * or a vpnse error code: the same numbers as vpnse::ErrorCode, the JSON-RPC `data.code` and the logs
 * (1..999 are SoftEther's own server error numbers). Invalid or NULL handles give VPNSE_E_INVALID_ARGUMENT,
 * never a crash.
 *
 * Threading: each client runs its own internal thread. Every function may be called from any thread.
 * Callbacks run on the client's internal thread; they must not call vpnse_client_free on their own
 * client. No callback runs after vpnse_client_free returns. The library never touches the host's network
 * configuration: the app builds its TUN (or VpnService / NEPacketTunnelProvider) from vpnse_network and
 * moves IP packets with vpnse_client_send_packet and the packet callback or vpnse_client_recv_packet.
 * docs/c-api.md walks through the lifecycle.
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
 * profile's user name stays the login name; its other authentication settings are replaced. The key is
 * never logged. */
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
/* Disconnects cleanly (bounded by 3 s), stops the internal thread and frees. NULL is fine. */
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

/* An IPv4/IPv6 packet from the app's TUN. Copied; thread-safe. VPNSE_E_NOT_CONNECTED unless established. */
VPNSE_API int vpnse_client_send_packet(vpnse_client* client, const uint8_t* packet, size_t size);
/* Without an on_packet callback, received packets wait in a bounded queue (oldest dropped when full).
 * Copies one into buffer and stores its size; VPNSE_E_TIMEOUT if none arrives within timeout_ms. */
VPNSE_API int vpnse_client_recv_packet(vpnse_client* client, uint8_t* buffer, size_t capacity, int timeout_ms,
                                       size_t* size);

/* SoftEther's password hash, base64 (28 characters + NUL), to store instead of the password
 * (profile: auth.method = "password_hash"). */
VPNSE_API int vpnse_password_hash(const char* username, const char* password, char* out, size_t out_size);

#ifdef __cplusplus
}
#endif

#endif /* VPNSE_H */
