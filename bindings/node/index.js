'use strict';
// vpnse for Node.js and Electron's main process: a VpnseClient is an EventEmitter over one libvpnse
// client (vpnse.h). Events: 'state' ({ state, error }), 'network' (the tunnel configuration), 'stats',
// 'log' ({ level, component, message }) and 'packet' (Buffer: an IP packet for the app's TUN).
//
// Threading: libvpnse calls back on its own thread; koffi queues each call to the JS thread, where the
// events are emitted. That thread must therefore never block on the library: every call that waits for
// the client's thread (create, hooks, stats, close) runs with koffi's .async and returns a Promise.
const { EventEmitter } = require('node:events');
const { koffi, types, protos, load } = require('./lib/native');

const STATES = ['disconnected', 'connecting', 'authenticating', 'configuring', 'established', 'reconnecting'];
const LEVELS = ['trace', 'debug', 'info', 'warn', 'error'];

let native = null;
function library(file) {
  if (!native) native = load(file || process.env.VPNSE_LIBRARY || 'libvpnse.so.1');
  return native;
}

/** A vpnse error: `code` is the VPNSE_E_* number, `name` its stable name ('auth_failed'). */
class VpnseError extends Error {
  constructor(code, message) {
    super(message || library().errorName(code));
    this.code = code;
    this.name = 'VpnseError';
    this.errorName = library().errorName(code);
  }
}

const promisify = (fn) => (...args) =>
  new Promise((resolve, reject) => fn.async(...args, (err, value) => (err ? reject(err) : resolve(value))));

function check(rc) {
  if (rc !== 0) throw new VpnseError(rc);
}

function toNetwork(pointer, routesPointer, count) {
  const n = koffi.decode(pointer, types.network);
  const routes = count > 0 ? koffi.decode(routesPointer, types.route, Number(count)) : [];
  return {
    address: n.address,
    prefixLength: n.prefix_length,
    gateway: n.gateway || null,
    dns: n.dns.slice(0, n.dns_count),
    domain: n.domain,
    mtu: n.mtu,
    leaseSeconds: n.lease_seconds,
    routes: routes.map((r) => ({ destination: r.destination, prefixLength: r.prefix_length, gateway: r.gateway || null })),
  };
}

function toStats(s) {
  return {
    bytesIn: Number(s.bytes_in),
    bytesOut: Number(s.bytes_out),
    packetsIn: Number(s.packets_in),
    packetsOut: Number(s.packets_out),
    dropped: Number(s.dropped),
    connections: s.connections,
    reconnects: s.reconnects,
    uptimeSeconds: Number(s.uptime_seconds),
  };
}

class VpnseClient extends EventEmitter {
  /**
   * Parses the profile (TOML, docs/configuration.md) and creates the client; does not connect.
   * options: name, hostName, logLevel ('info'), statsIntervalMs (0: no 'stats' events), library (path of
   * libvpnse.so), protect (fd => boolean: keep the socket outside the tunnel; called for every socket).
   */
  static async create(profileToml, options = {}) {
    const lib = library(options.library);
    const client = new VpnseClient(lib, options);
    try {
      await client.#open(profileToml, options);
    } catch (err) {
      await client.close();
      throw err;
    }
    return client;
  }

  #lib;
  #handle = null;
  #callbacks = [];
  #protect;
  // Events come through koffi's queue, which does not keep Node's event loop alive: an open client
  // does, like an open socket, until close().
  #keepAlive = setInterval(() => {}, 0x7fffffff);

  constructor(lib, options) {
    super();
    this.#lib = lib;
    this.#protect = options.protect || null;
  }

  async #open(profileToml, options) {
    const lib = this.#lib;
    const out = [null];
    const error = Buffer.alloc(512);
    const rc = lib.configParse(profileToml, options.name || 'profile', out, error, error.length);
    if (rc !== 0) throw new VpnseError(rc, error.toString('utf8', 0, Math.max(0, error.indexOf(0))));
    const config = out[0];
    try {
      if (options.hostName) check(lib.configSetHostName(config, options.hostName));
      const callbacks = {
        on_state: this.#register((user, state, code, message) => this.#onState(state, code, message), protos.state),
        on_packet: this.#register((user, packet, size) => this.#onPacket(packet, size), protos.packet),
        on_log: this.#register((user, level, component, message) =>
          this.emit('log', { level: LEVELS[level] || 'error', component, message }), protos.log),
        log_level: Math.max(0, LEVELS.indexOf(options.logLevel || 'info')),
        user: null,
      };
      const handle = [null];
      check(await promisify(lib.clientCreate)(config, callbacks, handle));
      this.#handle = handle[0];
    } finally {
      lib.configFree(config);
    }
    const protect = this.#register((user, socket) => (this.#protectSocket(Number(socket)) ? 0 : 1), protos.protect);
    check(await promisify(lib.setProtect)(this.#handle, protect, null));
    const network = this.#register((user, n, routes, count) => this.emit('network', toNetwork(n, routes, count)), protos.network);
    check(await promisify(lib.setNetwork)(this.#handle, network, null));
    if (options.statsIntervalMs) {
      const stats = this.#register((user, s) => this.emit('stats', toStats(koffi.decode(s, types.stats))), protos.stats);
      check(await promisify(lib.setStats)(this.#handle, stats, options.statsIntervalMs, null));
    }
  }

  #register(fn, proto) {
    const pointer = koffi.register(fn, koffi.pointer(proto));
    this.#callbacks.push(pointer);
    return pointer;
  }

  #protectSocket(fd) {
    try {
      this.emit('protect', fd);
      return this.#protect ? this.#protect(fd) !== false : true;
    } catch (err) {
      this.emit('error', err);
      return false;
    }
  }

  #onState(state, code, message) {
    this.emit('state', { state: STATES[state], error: code === 0 ? null : new VpnseError(code, message) });
  }

  #onPacket(packet, size) {
    // Copied: the library's buffer is only valid during the call.
    this.emit('packet', Buffer.from(koffi.decode(packet, 'uint8_t', Number(size))));
  }

  #live() {
    if (!this.#handle) throw new Error('VpnseClient is closed');
    return this.#handle;
  }

  /** Starts connecting; watch 'state'. */
  connect() { check(this.#lib.connect(this.#live())); }
  disconnect() { check(this.#lib.disconnect(this.#live())); }

  get state() {
    const out = [0];
    check(this.#lib.state(this.#live(), out));
    return STATES[out[0]];
  }

  /** Resolves on `state`; rejects with the VpnseError the tunnel ended with, or on timeout. */
  waitForState(state, timeoutMs = 30000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.off('state', onState); reject(new VpnseError(1006, `no '${state}' within ${timeoutMs} ms`)); }, timeoutMs);
      const onState = (event) => {
        if (event.state === state || (event.state === 'disconnected' && event.error)) {
          clearTimeout(timer);
          this.off('state', onState);
          if (event.state === state) resolve(event); else reject(event.error);
        }
      };
      this.on('state', onState);
      if (this.state === state) onState({ state, error: null });
    });
  }

  async stats() {
    const out = {};
    check(await promisify(this.#lib.stats)(this.#live(), out));
    return toStats(out);
  }

  /** An IP packet from the app's TUN into the tunnel (while established). */
  sendPacket(packet) { check(this.#lib.sendPacket(this.#live(), packet, packet.length)); }

  /** Hands a TUN fd over: the library moves the packets itself (vpnse.h, vpnse_client_attach_tun_fd). */
  async attachTunFd(fd) { check(await promisify(this.#lib.attachTunFd)(this.#live(), fd)); }
  async detachTunFd() { check(await promisify(this.#lib.detachTunFd)(this.#live())); }

  /** Disconnects cleanly and frees the client; no event is emitted once it resolves. */
  async close() {
    clearInterval(this.#keepAlive);
    if (!this.#handle) return;
    const handle = this.#handle;
    this.#handle = null;
    await promisify(this.#lib.clientFree)(handle);
    for (const pointer of this.#callbacks) koffi.unregister(pointer);
    this.#callbacks = [];
  }
}

module.exports = {
  VpnseClient,
  VpnseError,
  STATES,
  version: (file) => library(file).version(),
};
