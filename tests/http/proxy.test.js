// The shipped haproxy configuration in front of a node (deploy/haproxy/haproxy.cfg.in, as
// scripts/cluster.sh fills it in): every connection reaches beian from haproxy's address, so
// haproxy must never open more connections to a node than the node's cap per client address
// (--max-connections-per-client, 64), and must apply that cap to the clients' own addresses
// itself. SQLite only: this checks the proxy's configuration, not the store. Loopback only.
'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ROOT, setup, until } = require('./lib/harness');

const CLIENTS = 100;      // requests in flight at once through haproxy: more than a node accepts
const PER_ADDRESS = 64;   // the cap per client address, in beian and in haproxy.cfg.in

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

// Opens a connection from localAddress and sends a request head whose 2-byte body is still to
// come, so that haproxy holds a connection to the node (or a place in its queue) for it. Resolves
// with {socket, status}: status resolves with the status line's code, or 0 when the connection
// closed first or nothing came back within 10 s of the body.
function startRequest(port, localAddress) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress });
    let text = '';
    const status = new Promise((done) => {
      socket.on('data', (d) => { text += d; if (text.includes('\r\n\r\n')) socket.destroy(); });
      socket.on('close', () => done(Number((text.match(/^HTTP\/1\.1 (\d{3})/) || [0, 0])[1])));
    });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.removeListener('error', reject);
      socket.on('error', () => {});
      socket.write('POST /v1/eligibility HTTP/1.1\r\nHost: beian\r\nContent-Type: application/json\r\n' +
        'Content-Length: 2\r\n\r\n');
      resolve({ socket, status });
    });
  });
}

// Sends the body; resolves with the status (see startRequest).
function finishRequest({ socket, status }) {
  if (!socket.destroyed) {
    socket.setTimeout(10000, () => socket.destroy());
    socket.end('{}');
  }
  return status;
}

describe('the shipped haproxy configuration in front of a node', () => {
  let ctx, dir, haproxy, front;

  before(async () => {
    ctx = await setup('sqlite');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beian-proxy-'));
    front = await freePort();
    const pgFront = await freePort();
    const node = new URL(ctx.url);
    const cfg = fs.readFileSync(path.join(ROOT, 'deploy/haproxy/haproxy.cfg.in'), 'utf8')
      .replaceAll('@HOST@', '127.0.0.1').replaceAll('@HTTP_FRONT_PORT@', String(front))
      .replaceAll('@PG_FRONT_PORT@', String(pgFront)).replaceAll('@PG_SERVERS@', '')
      .replaceAll('@HTTP_SERVERS@', `    server node1 127.0.0.1:${node.port} check`);
    fs.writeFileSync(path.join(dir, 'haproxy.cfg'), cfg);
    haproxy = spawn('haproxy', ['-W', '-db', '-f', path.join(dir, 'haproxy.cfg')],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    haproxy.stderr.on('data', (d) => { log += d; });
    haproxy.on('error', (e) => { log += `spawn: ${e.message}`; });
    await until('haproxy to pass requests to the node', async () => {
      assert.ok(haproxy.exitCode === null && haproxy.signalCode === null, `haproxy exited: ${log}`);
      try {
        return (await fetch(`http://127.0.0.1:${front}/healthz`)).status === 200;
      } catch {
        return false;
      }
    }, 20000);
  });

  after(async () => {
    if (haproxy && haproxy.pid && haproxy.exitCode === null && haproxy.signalCode === null) {
      const exited = new Promise((r) => haproxy.once('exit', r));
      haproxy.kill('SIGTERM');
      await exited;
    }
    if (ctx) await ctx.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test(`${CLIENTS} requests in flight from two addresses are all answered by the node`, async () => {
    const sockets = [];
    for (let i = 0; i < CLIENTS; i++) sockets.push(await startRequest(front, i % 2 ? '127.0.0.2' : '127.0.0.3'));
    // Every head has reached haproxy; those beyond its 40 requests at once per node wait in its queue.
    const statuses = await Promise.all(sockets.map(finishRequest));
    // What the node itself answers to the same request (no credential: 401).
    const direct = (await fetch(`${ctx.url}/v1/eligibility`,
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status;
    const others = statuses.filter((s) => s !== direct);
    assert.equal(others.length, 0, `not the node's answer (${direct}), 0 = no answer: ${others.join(' ')}`);
  });

  test(`one client address gets at most ${PER_ADDRESS} connections through haproxy`, async () => {
    const sockets = [];
    let closed = 0;
    for (let i = 0; i < PER_ADDRESS + 6; i++) {
      const s = net.connect({ host: '127.0.0.1', port: front, localAddress: '127.0.0.4' });
      s.on('error', () => {});
      s.on('close', () => { closed += 1; });
      sockets.push(s);
    }
    await until('haproxy to close the connections over the cap', () => closed >= 6, 10000);
    // The other 64 are still open and served (haproxy's threads may accept them in any order).
    const open = sockets.find((s) => !s.destroyed);
    assert.ok(open, 'every connection was closed');
    const status = await new Promise((resolve) => {
      let text = '';
      open.on('data', (d) => { text += d; if (text.includes('\r\n\r\n')) resolve(Number(text.slice(9, 12))); });
      open.on('close', () => resolve(0));
      open.setTimeout(10000, () => open.destroy());
      open.write('GET /healthz HTTP/1.1\r\nHost: beian\r\n\r\n');
    });
    assert.equal(status, 200);
    assert.equal(closed, 6, 'more connections than the ones over the cap were closed');
    for (const s of sockets) s.destroy();
  });
});
