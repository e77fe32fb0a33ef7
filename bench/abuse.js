// Abuse figures for `make bench` (issue 14 point 5), against one `beian serve` on SQLite,
// loopback only: the p99 of a good client (127.0.0.2, a new connection per request) alone, during
// an idle-connection flood and during a slowloris from 127.0.0.1 (tests/http/lib/flood.js, its
// own process); and how many guesses of a concurrent burst got checked (host passwords; number
// look-ups). Prints a table and SUMMARY lines for bench/run.sh.
//   BEIAN_BIN=build/beian node bench/abuse.js
'use strict';
const http = require('node:http');
const path = require('node:path');
const { spawn } = require('node:child_process');
const readline = require('node:readline');
const { freshDatabase, cli, startServer, call, product } = require('../tests/http/lib/harness');
const { randomCode } = require('../tests/http/lib/sn');

const FLOOD_SLOTS = Number(process.env.ABUSE_FLOOD_SLOTS || 2000);
const GOOD_REQUESTS = Number(process.env.ABUSE_GOOD_REQUESTS || 500);
const BURST = 200;

function goodRequest(url, token) {
  const { hostname, port } = new URL(url);
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const req = http.request({ host: hostname, port, path: '/v1/products/abuse-1', localAddress: '127.0.0.2',
      agent: false, headers: { Authorization: `Bearer ${token}`, Connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ ok: res.statusCode === 200, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    });
    req.setTimeout(10000, () => req.destroy(new Error('timed out')));
    req.on('error', () => resolve({ ok: false, ms: Infinity }));
    req.end();
  });
}

async function goodClient(url, token) {
  const rs = [];
  for (let i = 0; i < GOOD_REQUESTS; i++) rs.push(await goodRequest(url, token));
  const ms = rs.map((r) => r.ms).sort((a, b) => a - b);
  return { failed: rs.filter((r) => !r.ok).length, p50: ms[Math.floor(ms.length / 2)], p99: ms[Math.ceil(ms.length * 0.99) - 1] };
}

// Runs fn() once every one of FLOOD_SLOTS slots of a flood in `mode` has connected (flood.js's
// "ready"); resolves with fn's result and the flood's connections, and rejects when the flood is
// not ready within 30 s or ends without its figures.
async function withFlood(url, mode, fn) {
  const proc = spawn(process.execPath, [path.join(__dirname, '../tests/http/lib/flood.js'), url, mode, String(FLOOD_SLOTS)],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = [];
  const rl = readline.createInterface({ input: proc.stdout });
  const closed = new Promise((r) => rl.once('close', r));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`${mode} flood not ready in 30 s`)); }, 30000);
    rl.on('line', (l) => { lines.push(l); if (l === 'ready') { clearTimeout(timer); resolve(); } });
    proc.once('exit', (c) => { clearTimeout(timer); reject(new Error(`flood exited ${c}`)); });
  });
  proc.removeAllListeners('exit');
  let result;
  try {
    result = await fn();
  } finally {
    proc.kill('SIGTERM');
    await closed;  // its last line, {connects, open}, has been read
  }
  const last = lines[lines.length - 1];
  if (!last.startsWith('{')) throw new Error(`${mode} flood ended without its figures: ${lines.join(' | ')}`);
  const stats = JSON.parse(last);
  if (stats.slots_connected !== FLOOD_SLOTS) throw new Error(`${mode} flood did not connect every slot: ${last}`);
  return { ...result, connects: stats.connects };
}

function burst(url, requests) {
  const { hostname, port } = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  return Promise.all(requests.map(({ method, p, token, body }) => new Promise((resolve) => {
    const payload = body === undefined ? '' : JSON.stringify(body);
    const req = http.request({ host: hostname, port, method, path: p, agent,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } },
    (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
    req.setTimeout(60000, () => req.destroy(new Error('timed out')));
    req.on('error', () => resolve(0));
    req.end(payload);
  }))).finally(() => agent.destroy());
}

async function main() {
  const db = freshDatabase('sqlite');
  cli(db.url, ['migrate']);
  cli(db.url, ['account', 'add', 'alice', '--role', 'customer']);
  const token = cli(db.url, ['token', 'issue', 'alice']).stdout.trim();
  const fs = require('node:fs');
  const dir = path.dirname(db.url.replace(/^sqlite:/, ''));
  fs.writeFileSync(path.join(dir, 'products.ndjson'), [
    JSON.stringify(product('abuse-1', 'alice')),
    JSON.stringify(product('abuse-vh', 'alice', { kind: 'vhost', public_ips: [], vhost_username: 'h', vhost_password: 'right-pw' })),
  ].join('\n'));
  cli(db.url, ['import', path.join(dir, 'products.ndjson')]);
  // Write limits out of the way: the bursts measure the attempt limits.
  const policy = path.join(dir, 'policy.toml');
  fs.writeFileSync(policy, '[limits]\naccount_write_burst = 100000\ntoken_write_burst = 100000\n');
  const server = await startServer(db.url, { extraArgs: ['--policy', policy] });
  const rows = [];
  try {
    const alone = await goodClient(server.url, token);
    const idle = await withFlood(server.url, 'idle', () => goodClient(server.url, token));
    const slow = await withFlood(server.url, 'slowloris', () => goodClient(server.url, token));
    for (const [label, r] of [['alone', alone], [`idle flood (${FLOOD_SLOTS} slots)`, idle], [`slowloris (${FLOOD_SLOTS} slots)`, slow]]) {
      const line = `p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, ${r.failed}/${GOOD_REQUESTS} failed`;
      const flood = r.connects === undefined ? '' : ` (flood connections: ${r.connects})`;
      console.log(`good client from 127.0.0.2, ${label}: ${line}${flood}`);
      rows.push([`good-client GET, ${label}`, `${line}${flood}`]);
    }
    const pw = await burst(server.url, Array.from({ length: BURST }, (_, i) => ({ method: 'POST', p: '/v1/filings', token,
      body: { domain: `abuse-${i}.example.cn`, vhost: { product_id: 'abuse-vh', username: 'h', password: `wrong-${i}` } } })));
    const checked = pw.filter((s) => s === 403).length;
    console.log(`host passwords, ${BURST} concurrent wrong guesses: ${checked} checked (limit 5), ${pw.filter((s) => s === 429).length} refused 429`);
    rows.push([`host-password guesses checked of ${BURST} concurrent`, `${checked} (limit 5)`]);
    const lookUp = (i) => [
      { method: 'GET', p: `/v1/service-numbers/${randomCode()}`, token },
      { method: 'POST', p: '/v1/filings', token, body: { domain: `abuse-sn-${i}.example.cn`, service_number: randomCode() } },
      { method: 'POST', p: `/v1/service-numbers/${randomCode()}/grants`, token, body: { account_id: 'bob' } },
    ][i % 3];
    const sn = await burst(server.url, Array.from({ length: BURST }, (_, i) => lookUp(i)));
    const misses = sn.filter((s) => s === 404).length;
    console.log(`number look-ups, ${BURST} concurrent misses: ${misses} answered (limit 10), ${sn.filter((s) => s === 429).length} refused 429`);
    rows.push([`number look-ups answered of ${BURST} concurrent`, `${misses} (limit 10)`]);
  } finally {
    await server.stop();
    db.drop();
  }
  for (const [label, figure] of rows) console.log(`SUMMARY|${label}|${figure}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
