// Connection limits of `beian serve`: --max-connections, --max-connections-per-client,
// --header-timeout, --read-timeout and --idle-timeout, with short values, over raw sockets from
// several loopback addresses. Then a server out of file descriptors pauses accepting instead of
// spinning, and serves again once descriptors free. Each on both backends (the limits do not
// involve the store, but the store's connections are files too).
'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const { execFileSync } = require('node:child_process');
const { backends, freshDatabase, cli, startServer, until } = require('./lib/harness');

const HEADER_S = 1;
const READ_S = 3;
const IDLE_S = 4;
const MAX_CONNECTIONS = 3;
const PER_CLIENT = 2;

// A connection that records what it receives and when the server closes it.
function connect(url, localAddress = '127.0.0.1') {
  const { hostname, port } = new URL(url);
  const sock = net.connect({ port: Number(port), host: hostname, localAddress });
  const conn = { sock, text: '', openedAt: 0 };
  conn.opened = new Promise((resolve, reject) => {
    sock.once('connect', () => { conn.openedAt = Date.now(); resolve(); });
    sock.once('close', () => reject(new Error('closed before it connected')));
  });
  conn.closed = new Promise((resolve) => sock.once('close', () => resolve(Date.now())));
  sock.on('data', (d) => { conn.text += d.toString('latin1'); });
  sock.on('error', () => {});
  return conn;
}

// Sends a keep-alive GET /healthz on `conn` and waits for its whole (small) response.
async function healthz(conn) {
  const before = conn.text.length;
  conn.sock.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  const deadline = Date.now() + 5000;
  while (!/\r\n\r\n[\s\S]*ok/.test(conn.text.slice(before)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.match(conn.text.slice(before), /^HTTP\/1\.1 200 /);
}

// Resolves true when `conn` is closed within `ms`, false otherwise.
const closedWithin = (conn, ms) =>
  Promise.race([conn.closed.then(() => true), new Promise((r) => setTimeout(() => r(false), ms))]);

// Resolves with the time `conn` was closed; fails the test if that takes over `ms`.
async function closedAt(conn, ms) {
  assert.equal(await closedWithin(conn, ms), true, `still open after ${ms} ms`);
  return conn.closed;
}

// Opens a kept-alive connection from each of `addresses` and has each served a GET /healthz.
async function holdConnections(url, addresses) {
  const held = [];
  for (const address of addresses) {
    const c = connect(url, address);
    await c.opened;
    await healthz(c);
    held.push(c);
  }
  return held;
}

// Asserts that a new connection from `address` is closed at once with nothing answered.
async function assertRefused(url, address, what) {
  const extra = connect(url, address);
  await extra.opened;
  extra.sock.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  assert.equal(await closedWithin(extra, 3000), true, `the connection over ${what} is closed`);
  assert.equal(extra.text, '');
}

// Resolves true once a new connection to `url` is served a GET /healthz, trying `attempts` times
// `pauseMs` apart (the server notices closes, and resumes accepting, asynchronously).
async function servedAgain(url, attempts, pauseMs, localAddress = '127.0.0.1') {
  for (let attempt = 0; attempt < attempts; ++attempt) {
    const c = connect(url, localAddress);
    await c.opened;
    c.sock.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await closedAt(c, 5000);
    if (/^HTTP\/1\.1 200 /.test(c.text)) return true;
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  return false;
}

for (const backend of backends()) describe(`connection limits (${backend})`, () => {
  let server;
  let database;
  before(async () => {
    database = freshDatabase(backend);
    cli(database.url, ['migrate']);
    server = await startServer(database.url, {
      extraArgs: ['--max-connections', String(MAX_CONNECTIONS), '--max-connections-per-client',
        String(PER_CLIENT), '--header-timeout', String(HEADER_S), '--read-timeout', String(READ_S),
        '--idle-timeout', String(IDLE_S)],
    });
  });
  after(async () => {
    await server.stop();
    database.drop();
  });

  test('a connection that sends no complete request head is closed after the header timeout', async () => {
    for (const partial of ['', 'GET /healthz HTTP/1.1\r\nHost: x\r\n']) {
      const c = connect(server.url);
      await c.opened;
      if (partial) c.sock.write(partial);
      const at = await closedAt(c, (HEADER_S + 5) * 1000);
      const seconds = (at - c.openedAt) / 1000;
      assert.ok(seconds >= HEADER_S * 0.9 && seconds < HEADER_S + 1.5, `closed after ${seconds} s`);
      assert.equal(c.text, '', 'nothing is answered to an incomplete request');
    }
  });

  test('a body may take the (longer) read timeout once its head is in', async () => {
    const c = connect(server.url);
    await c.opened;
    c.sock.write('POST /v1/filings HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12');
    const headAt = Date.now();
    const at = await closedAt(c, (READ_S + 5) * 1000);
    const seconds = (at - headAt) / 1000;
    assert.ok(seconds >= READ_S * 0.9 && seconds < READ_S + 2, `closed after ${seconds} s`);
  });

  test('a kept-alive connection is closed after the idle timeout, not the read timeout', async () => {
    const c = connect(server.url);
    await c.opened;
    await healthz(c);
    const idleFrom = Date.now();
    assert.equal(await closedWithin(c, (READ_S + 0.5) * 1000), false, 'open past the read timeout');
    await healthz(c);  // a request restarts the idle clock
    const again = Date.now();
    const at = await closedAt(c, (IDLE_S + 5) * 1000);
    assert.ok(again - idleFrom > READ_S * 1000);
    const seconds = (at - again) / 1000;
    assert.ok(seconds >= IDLE_S * 0.9 && seconds < IDLE_S + 3, `closed after ${seconds} s idle`);
  });

  test('connections beyond --max-connections are closed at once; a freed slot serves again', async () => {
    // One connection per address: under the per-client cap.
    const held = await holdConnections(server.url,
      Array.from({ length: MAX_CONNECTIONS }, (_, i) => `127.0.0.${11 + i}`));
    await assertRefused(server.url, '127.0.0.20', 'the cap');
    for (const c of held) assert.equal(await closedWithin(c, 0), false, 'held connections stay open');

    held[0].sock.destroy();
    await closedAt(held[0], 5000);
    assert.ok(await servedAgain(server.url, 20, 50), 'a connection is served once a slot is free');
    for (const c of held) c.sock.destroy();
  });

  test('connections from one address beyond --max-connections-per-client are closed at once', async () => {
    const held = await holdConnections(server.url, Array(PER_CLIENT).fill('127.0.0.21'));
    await assertRefused(server.url, '127.0.0.21', 'the per-client cap');
    const [other] = await holdConnections(server.url, ['127.0.0.22']);  // another address is served
    for (const c of held) assert.equal(await closedWithin(c, 0), false, 'held connections stay open');
    other.sock.destroy();
    await closedAt(other, 5000);
    held[0].sock.destroy();
    await closedAt(held[0], 5000);
    assert.ok(await servedAgain(server.url, 20, 50, '127.0.0.21'),
      'the address is served again once one of its connections closed');
    for (const c of held) c.sock.destroy();
  });
});

// CPU time (user + system, seconds) the process `pid` has used so far.
function cpuSeconds(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;  // utime, stime (clock ticks; USER_HZ 100)
}

for (const backend of backends()) {
  describe(`out of file descriptors (${backend})`, () => {
    test('accepting pauses (no spinning, one log line) and resumes once descriptors free', async () => {
      const database = freshDatabase(backend);
      cli(database.url, ['migrate']);
      const server = await startServer(database.url, { extraArgs: ['--max-connections', '1000'] });
      const { pid } = server.proc;
      const conns = [];
      try {
        assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
        // Lower the running server's limit to 4 descriptors more than it has open: the cap of
        // 1000 connections no longer protects it, and accept() fails with EMFILE.
        const open = fs.readdirSync(`/proc/${pid}/fd`).length;
        execFileSync('prlimit', ['--pid', String(pid), `--nofile=${open + 4}:${open + 4}`]);
        for (let i = 0; i < 40; ++i) {
          const c = connect(server.url);
          conns.push(c);
          await c.opened;  // the kernel completes the handshake whether or not accept() succeeds
        }
        await until('the accept loop to pause', () => /accept: .*pausing accept/.test(server.stderr()));
        // A measurement window, not a wait: a spinning accept loop burns a CPU the whole time.
        const cpu0 = cpuSeconds(pid);
        const t0 = Date.now();
        await new Promise((r) => setTimeout(r, 2000));
        const busy = (cpuSeconds(pid) - cpu0) / ((Date.now() - t0) / 1000);
        assert.ok(busy < 0.3, `the server used ${(busy * 100).toFixed(0)}% of a CPU while out of files`);
        const reports = server.stderr().match(/accept: [^\n]*/g);
        assert.equal(reports.length, 1, `accept errors are logged at most once per 10 s: ${reports}`);
        for (const c of conns) c.sock.destroy();
        // Descriptors free as the server sees the closes; accepting resumes within its back-off.
        assert.ok(await servedAgain(server.url, 100, 100), 'served again once descriptors are free');
      } finally {
        for (const c of conns) c.sock.destroy();
        await server.stop();
        database.drop();
      }
    });
  });
}
