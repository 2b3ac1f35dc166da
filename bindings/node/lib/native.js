'use strict';
// vpnse.h as koffi sees it: the types and functions the EventEmitter in index.js uses. Calls that may wait
// for the client's thread are only ever made with .async (see index.js), never synchronously.
const koffi = require('koffi');

const ADDRESS = 64;
const MAX_DNS = 4;
const address = koffi.array('char', ADDRESS, 'String');

const types = {
  network: koffi.struct('vpnse_network', {
    address,
    prefix_length: 'uint32_t',
    gateway: address,
    dns: koffi.array(address, MAX_DNS),
    dns_count: 'uint32_t',
    domain: koffi.array('char', 256, 'String'),
    mtu: 'uint32_t',
    route_count: 'uint32_t',
    lease_seconds: 'uint32_t',
  }),
  route: koffi.struct('vpnse_route', { destination: address, prefix_length: 'uint32_t', gateway: address }),
  stats: koffi.struct('vpnse_stats', {
    bytes_in: 'uint64_t',
    bytes_out: 'uint64_t',
    packets_in: 'uint64_t',
    packets_out: 'uint64_t',
    dropped: 'uint64_t',
    connections: 'uint32_t',
    reconnects: 'uint32_t',
    uptime_seconds: 'uint64_t',
  }),
};

const protos = {
  state: koffi.proto('void vpnse_state_callback(void *user, int state, int error_code, const char *message)'),
  packet: koffi.proto('void vpnse_packet_callback(void *user, const uint8_t *packet, size_t size)'),
  log: koffi.proto('void vpnse_log_callback(void *user, int level, const char *component, const char *message)'),
  protect: koffi.proto('int vpnse_protect_callback(void *user, intptr_t socket)'),
  network: koffi.proto('void vpnse_network_callback(void *user, void *network, void *routes, size_t count)'),
  stats: koffi.proto('void vpnse_stats_callback(void *user, void *stats)'),
};

types.callbacks = koffi.struct('vpnse_callbacks', {
  on_state: koffi.pointer(protos.state),
  on_packet: koffi.pointer(protos.packet),
  on_log: koffi.pointer(protos.log),
  log_level: 'int',
  user: 'void *',
});

function load(path) {
  const lib = koffi.load(path);
  const f = (signature) => lib.func(signature);
  return {
    version: f('const char *vpnse_version(void)'),
    errorName: f('const char *vpnse_error_name(int code)'),
    configParse: f('int vpnse_config_parse(const char *toml, const char *name, _Out_ void **out, _Out_ uint8_t *error, size_t size)'),
    configSetHostName: f('int vpnse_config_set_host_name(void *config, const char *host_name)'),
    configFree: f('void vpnse_config_free(void *config)'),
    clientCreate: f('int vpnse_client_create(void *config, const vpnse_callbacks *callbacks, _Out_ void **out)'),
    clientFree: f('void vpnse_client_free(void *client)'),
    connect: f('int vpnse_client_connect(void *client)'),
    disconnect: f('int vpnse_client_disconnect(void *client)'),
    state: f('int vpnse_client_state(void *client, _Out_ int *state)'),
    lastError: f('int vpnse_client_last_error(void *client, _Out_ uint8_t *text, size_t size)'),
    stats: f('int vpnse_client_stats(void *client, _Out_ vpnse_stats *stats)'),
    sendPacket: f('int vpnse_client_send_packet(void *client, const uint8_t *packet, size_t size)'),
    setProtect: f('int vpnse_client_set_protect_callback(void *client, vpnse_protect_callback *cb, void *user)'),
    setNetwork: f('int vpnse_client_set_network_callback(void *client, vpnse_network_callback *cb, void *user)'),
    setStats: f('int vpnse_client_set_stats_callback(void *client, vpnse_stats_callback *cb, uint32_t ms, void *user)'),
    attachTunFd: f('int vpnse_client_attach_tun_fd(void *client, int fd)'),
    detachTunFd: f('int vpnse_client_detach_tun_fd(void *client)'),
  };
}

module.exports = { koffi, types, protos, load };
