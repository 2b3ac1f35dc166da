'use strict';
// The Electron-shaped end-to-end test: a VpnseClient against a real SoftEther server (bindings/node/test.sh
// runs it inside the fixture's client namespace with VPNSE_LIBRARY, VPNSE_PROFILE, VPNSE_GATEWAY and
// VPNSE_PASSWORD set), moving ICMP through the packet events; without them it is skipped.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const { once } = require('node:events');
const { VpnseClient, VpnseError, version } = require('..');

const env = process.env;
const ready = env.VPNSE_LIBRARY && env.VPNSE_PROFILE && env.VPNSE_GATEWAY && env.VPNSE_PASSWORD;
const skip = ready ? false : 'needs VPNSE_LIBRARY, VPNSE_PROFILE, VPNSE_GATEWAY, VPNSE_PASSWORD (bindings/node/test.sh)';
const profile = () => fs.readFileSync(env.VPNSE_PROFILE, 'utf8');

function checksum(bytes) {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i] << 8) | (bytes[i + 1] || 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

// An IPv4 ICMP echo request from `source` to `destination`.
function echoRequest(source, destination, id, sequence) {
  const packet = Buffer.alloc(20 + 8 + 32);
  packet[0] = 0x45;
  packet.writeUInt16BE(packet.length, 2);
  packet[8] = 64;
  packet[9] = 1;
  Buffer.from(source.split('.').map(Number)).copy(packet, 12);
  Buffer.from(destination.split('.').map(Number)).copy(packet, 16);
  packet.writeUInt16BE(checksum(packet.subarray(0, 20)), 10);
  packet[20] = 8;
  packet.writeUInt16BE(id, 24);
  packet.writeUInt16BE(sequence, 26);
  packet.fill(0x61, 28);
  packet.writeUInt16BE(checksum(packet.subarray(20)), 22);
  return packet;
}

const isEchoReply = (packet, from, id) =>
  packet.length >= 28 && packet[0] >> 4 === 4 && packet[9] === 1 && packet[20] === 0 &&
  [...packet.subarray(12, 16)].join('.') === from && packet.readUInt16BE(24) === id;

test('connects, reports, and moves packets', { skip, timeout: 90000 }, async () => {
  assert.match(version(env.VPNSE_LIBRARY), /^\d+\.\d+\.\d+$/);
  const protectedSockets = [];
  const client = await VpnseClient.create(profile(), {
    library: env.VPNSE_LIBRARY,
    name: 'node',
    hostName: 'node-test',
    logLevel: 'debug',
    statsIntervalMs: 200,
    protect: (fd) => protectedSockets.push(fd) > 0,
  });
  const logs = [];
  const states = [];
  const statsEvents = [];
  client.on('log', (line) => logs.push(line));
  client.on('state', (event) => states.push(event.state));
  client.on('stats', (stats) => statsEvents.push(stats));
  const network = once(client, 'network');
  try {
    client.connect();
    const [config] = await network;
    await client.waitForState('established', 30000);
    assert.match(config.address, /^\d+\.\d+\.\d+\.\d+$/);
    assert.ok(config.prefixLength > 0 && config.prefixLength <= 32);
    assert.strictEqual(config.gateway, env.VPNSE_GATEWAY);

    const id = 0x4e4f;
    const replies = [];
    client.on('packet', (packet) => { if (isEchoReply(packet, env.VPNSE_GATEWAY, id)) replies.push(packet); });
    for (let sequence = 1; sequence <= 20 && replies.length < 3; ++sequence) {
      client.sendPacket(echoRequest(config.address, env.VPNSE_GATEWAY, id, sequence));
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.ok(replies.length >= 3, `echo replies: ${replies.length}`);

    const stats = await client.stats();
    assert.ok(stats.packetsOut >= 3 && stats.packetsIn >= 3, JSON.stringify(stats));
    assert.ok(statsEvents.length > 0, 'no stats events');
    assert.ok(stats.connections >= 1 && protectedSockets.length >= stats.connections,
      `protect called for ${protectedSockets} with ${stats.connections} connections`);
    assert.deepStrictEqual(states.slice(0, 4), ['connecting', 'authenticating', 'configuring', 'established']);
    assert.ok(logs.length > 0, 'no log lines');
    assert.ok(logs.every((l) => !l.message.includes(env.VPNSE_PASSWORD)), 'the password appeared in a log line');
    client.disconnect();
    await client.waitForState('disconnected', 10000);
  } finally {
    await client.close();
  }
});

test('a refused protect aborts the connection with a typed error', { skip, timeout: 60000 }, async () => {
  const client = await VpnseClient.create(profile(), { library: env.VPNSE_LIBRARY, protect: () => false });
  try {
    client.connect();
    await assert.rejects(client.waitForState('established', 20000), (err) => {
      assert.ok(err instanceof VpnseError);
      assert.strictEqual(err.errorName, 'permission_denied');
      return true;
    });
  } finally {
    await client.close();
  }
});

test('a wrong password is auth_failed', { skip, timeout: 60000 }, async () => {
  const wrong = profile().replace(/^password = .*$/m, 'password = "not-the-password"');
  const client = await VpnseClient.create(wrong, { library: env.VPNSE_LIBRARY });
  try {
    client.connect();
    await assert.rejects(client.waitForState('established', 20000), (err) => err.errorName === 'auth_failed');
  } finally {
    await client.close();
  }
});

test('a bad profile names the key', { skip: env.VPNSE_LIBRARY ? false : 'needs VPNSE_LIBRARY' }, async () => {
  await assert.rejects(VpnseClient.create('[server]\nhost = 1\n', { library: env.VPNSE_LIBRARY }), (err) =>
    err.errorName === 'config_invalid' && /server\.host/.test(err.message));
});
