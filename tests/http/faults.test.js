// Database faults as an operator meets them, made for real: a read-only SQLite file, a full file
// system (a small tmpfs mounted for the test), corrupt pages, a PostgreSQL server stopped and
// started, and PostgreSQL's default_transaction_read_only. Clients get problem+json with the
// request id and no internal text; the log gets one line per fault with the cause and the request
// id (rate-limited); /readyz fails while the store cannot write; corruption is a permanent 500 and
// `serve` refuses to start on it; `serve` waits for PostgreSQL at start.
'use strict';
const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { BIN, cli, call, assertProblem, product } = require('./lib/harness');

const IS_ROOT = process.getuid() === 0;
// Words that must never reach a client (SQL, driver and database text).
const INTERNAL = /SELECT|INSERT|UPDATE|sqlite|postgres|libpq|readonly|read-only|malformed|disk|127\.0\.0\.1|port|connection|Is the server|25006|SQLITE/i;

// Starts `beian serve` (optionally through a command prefix such as setpriv); resolves with
// {url, proc, stderr(), stop()} once it listens. `onStderr` sees stderr as it arrives.
function launch(db, { prefix = [], extra = [], globals = [] } = {}) {
  const argv = [...prefix, BIN, '--db', db, ...globals, 'serve', '--listen', '127.0.0.1:0', ...extra];
  const proc = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], cwd: os.tmpdir() });
  let stderr = '';
  const waiters = [];
  proc.stderr.on('data', (d) => {
    stderr += d;
    for (const w of waiters.splice(0)) w();
  });
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in 90 s: ${stderr}`)), 90000);
    exited.then(({ code }) => { clearTimeout(timer); reject(new Error(`serve exited ${code}: ${stderr}`)); });
    readline.createInterface({ input: proc.stdout }).on('line', (line) => {
      const m = line.match(/^beian: listening on (http:\/\/127\.0\.0\.1:\d+)$/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
  });
  listening.catch(() => {});
  return {
    proc, listening, exited,
    stderr: () => stderr,
    // Resolves once stderr matches `re` (fails after 60 s).
    async waitStderr(re) {
      const deadline = Date.now() + 60000;
      while (!re.test(stderr)) {
        assert.ok(Date.now() < deadline, `stderr never matched ${re}: ${stderr}`);
        await new Promise((resolve) => { waiters.push(resolve); setTimeout(resolve, 1000); });
      }
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10000);
      const r = await exited;
      clearTimeout(timer);
      return r;
    },
  };
}

// Polls `fn` until it returns a truthy value (at most `ms`); returns that value.
async function until(fn, ms = 30000, what = 'condition') {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// A 500 or 503 as a client must see it: problem+json, the request id (also in X-Request-Id), a
// standard detail with no internal text, Retry-After on 503.
function assertFault(r, status) {
  const body = assertProblem(r, status, status === 503 ? 'UNAVAILABLE' : 'INTERNAL');
  assert.equal(typeof body.request_id, 'string', r.text);
  assert.equal(body.request_id, r.headers.get('x-request-id'));
  assert.doesNotMatch(r.text, INTERNAL, r.text);
  if (status === 503) assert.match(r.headers.get('retry-after') || '', /^\d+$/, 'Retry-After');
  else assert.equal(r.headers.get('retry-after'), null);
  return body;
}

// The log line about request `id` (awaited: stderr arrives on its own pipe): exactly one, naming
// the fault class `kind`. Returns the line.
async function assertLogged(server, id, kind) {
  await server.waitStderr(new RegExp(`request ${id} fault .*\n`));
  const lines = server.stderr().split('\n').filter((l) => l.includes(`request ${id} fault`));
  assert.equal(lines.length, 1, `one log line for ${id}:\n${server.stderr()}`);
  assert.match(lines[0], new RegExp(`(warning|error) request ${id} fault ${kind}: `), lines[0]);
  return lines[0];
}

function tmpdir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beian-faults-'));
  fs.chmodSync(dir, 0o755);
  return dir;
}

// A migrated SQLite database with operator op, customer alice, a fileable product of alice and
// tokens: {db, file, tokens}.
function seedSqlite(dir) {
  const file = path.join(dir, 'beian.db');
  const db = `sqlite:${file}`;
  cli(db, ['migrate']);
  const tokens = {};
  for (const [id, role] of [['op', 'operator'], ['alice', 'customer']]) {
    cli(db, ['account', 'add', id, '--role', role]);
    tokens[id] = cli(db, ['token', 'issue', id]).stdout.trim();
  }
  importProducts(db, Array.from({ length: 20 }, (_, i) => product(`f-ecs-${i}`, 'alice')));
  return { db, file, tokens };
}

// Imports products (objects) into `db` with `beian import FILE`.
function importProducts(db, products) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'beian-import-')), 'p.ndjson');
  fs.writeFileSync(file, `${products.map((p) => JSON.stringify(p)).join('\n')}\n`);
  cli(db, ['import', file]);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
}

const apply = (url, token, id = 'f-ecs-1') => call(url, 'POST', `/v1/products/${id}/service-numbers`, { token });

describe('store faults (sqlite)', () => {
  test('a read-only database file: serve starts with a warning, /readyz 503, writes 503, reads work', async () => {
    const dir = tmpdir();
    const { db, file, tokens } = seedSqlite(dir);
    // The server may create its -wal and -shm files, but not write the database itself.
    let prefix = [];
    if (IS_ROOT) {
      fs.chmodSync(dir, 0o1777);
      prefix = ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', '--'];
    } else {
      fs.chmodSync(file, 0o444);
    }
    const server = launch(db, { prefix });
    try {
      const url = await server.listening;
      assert.match(server.stderr(), /warning: the database takes no writes now.*read-only/);
      const ready = await call(url, 'GET', '/readyz');
      await assertLogged(server, assertFault(ready, 503).request_id, 'read-only');
      const w = await apply(url, tokens.alice);
      await assertLogged(server, assertFault(w, 503).request_id, 'read-only');
      const en = await call(url, 'POST', '/v1/products/f-ecs-2/service-numbers', { token: tokens.alice, lang: 'en' });
      assert.match(assertFault(en, 503).detail, /temporarily unavailable/);
      const read = await call(url, 'GET', '/v1/products/f-ecs-1', { token: tokens.alice });
      assert.equal(read.status, 200, read.text);
    } finally {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a full file system: writes 503 and /readyz 503 with disk-full in the log; both recover when space is freed', async (t) => {
    const dir = tmpdir();
    const mnt = path.join(dir, 'mnt');
    fs.mkdirSync(mnt);
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m,mode=0755', 'tmpfs', mnt], { encoding: 'utf8' });
    if (m.status !== 0) {
      fs.rmSync(dir, { recursive: true, force: true });
      t.skip(`cannot mount a tmpfs here (${(m.stderr || '').trim()}): the full-disk fault is not tested`);
      return;
    }
    let server;
    try {
      const { db, tokens } = seedSqlite(mnt);
      server = launch(db);
      const url = await server.listening;
      assert.equal((await apply(url, tokens.alice)).status, 201);
      // Fill the file system to the last byte.
      const filler = path.join(mnt, 'filler');
      const fd = fs.openSync(filler, 'w');
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) fs.writeSync(fd, chunk);
      } catch (e) {
        assert.equal(e.code, 'ENOSPC');
      }
      try { for (;;) fs.writeSync(fd, chunk, 0, 512); } catch (e) { assert.equal(e.code, 'ENOSPC'); }
      fs.closeSync(fd);
      // Applies write until the log needs a new page; a handful reach the full disk.
      let failed;
      for (let i = 0; i < 200 && !failed; i++) {
        const r = await apply(url, tokens.alice, `f-ecs-${i % 20}`);
        if (r.status !== 201 && r.status !== 409) failed = r;
      }
      assert.ok(failed, 'no write failed on a full disk');
      await assertLogged(server, assertFault(failed, 503).request_id, 'disk-full');
      const ready = await until(async () => {
        const r = await call(url, 'GET', '/readyz');
        return r.status === 503 ? r : null;
      }, 5000, '/readyz 503');
      await assertLogged(server, assertFault(ready, 503).request_id, 'disk-full');
      fs.rmSync(filler);
      await until(async () => (await call(url, 'GET', '/readyz')).status === 200, 10000, '/readyz 200');
      assert.equal((await apply(url, tokens.alice, 'f-ecs-3')).status, 201);
    } finally {
      if (server) await server.stop();
      spawnSync('umount', ['-l', mnt]);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('corrupt pages: serve refuses to start; under a running server a permanent 500, /readyz 503', async () => {
    const dir = tmpdir();
    const { db, file, tokens } = seedSqlite(dir);
    importProducts(db, Array.from({ length: 3000 }, (_, i) => product(`c-ecs-${String(i).padStart(5, '0')}`, 'alice')));
    const q = spawnSync('sqlite3', [file, "SELECT pageno FROM dbstat WHERE name = 'products' AND pagetype = 'leaf' ORDER BY pageno"],
      { encoding: 'utf8' });
    assert.equal(q.status, 0, q.stderr);
    const pages = q.stdout.trim().split('\n').map(Number);
    assert.ok(pages.length > 20, `products span ${pages.length} leaf pages`);
    const pageSize = Number(spawnSync('sqlite3', [file, 'PRAGMA page_size'], { encoding: 'utf8' }).stdout);
    const corrupt = (target) => {
      const fd = fs.openSync(target, 'r+');
      for (const p of pages.slice(5, 15)) fs.writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (p - 1) * pageSize);
      fs.closeSync(fd);
    };
    let server;
    try {
      // A damaged copy: serve refuses it, in one refusal and one remedy line, and never listens.
      const copy = path.join(dir, 'copy.db');
      fs.copyFileSync(file, copy);
      corrupt(copy);
      const refused = spawnSync(BIN, ['--db', `sqlite:${copy}`, 'serve', '--listen', '127.0.0.1:0'], { encoding: 'utf8' });
      assert.equal(refused.status, 1, refused.stderr);
      assert.equal(refused.stdout, '');
      assert.match(refused.stderr, /corrupt: PRAGMA quick_check/);
      assert.match(refused.stderr, /refusing to serve a damaged database/);
      assert.equal(refused.stderr.trim().split('\n').length, 2, refused.stderr);

      // Damage under a running server (which checked the file at start and read no product yet).
      server = launch(db);
      const url = await server.listening;
      corrupt(file);
      const statuses = [];
      let fault;
      let failedPath;
      for (let token = '', i = 0; i < 40; i++) {
        const p = `/v1/products?limit=100${token ? `&page_token=${encodeURIComponent(token)}` : ''}`;
        const r = await call(url, 'GET', p, { token: tokens.op });
        statuses.push(r.status);
        if (r.status !== 200) { fault = r; failedPath = p; break; }
        token = r.body.next_page_token;
        if (!token) break;
      }
      assert.ok(fault, `no page failed: ${statuses}`);
      await assertLogged(server, assertFault(fault, 500).request_id, 'corrupt');
      assert.match(server.stderr(), /error request \S+ fault corrupt: /);
      // Permanent: the same page fails again, and the server is no longer ready.
      assertFault(await call(url, 'GET', failedPath, { token: tokens.op }), 500);
      const ready = await until(async () => {
        const r = await call(url, 'GET', '/readyz');
        return r.status === 503 ? r : null;
      }, 5000, '/readyz 503');
      await assertLogged(server, assertFault(ready, 503).request_id, 'corrupt');
    } finally {
      if (server) await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// A PostgreSQL 15 server of this test alone (it is stopped and reconfigured), on a free port.
class OwnPostgres {
  constructor() {
    const bindir = process.env.BEIAN_TEST_PG_BINDIR ||
      fs.readdirSync('/usr/lib/postgresql').sort().reverse().map((v) => `/usr/lib/postgresql/${v}/bin`)[0];
    this.bin = (name) => path.join(bindir, name);
    this.dir = tmpdir();
    this.asUser = IS_ROOT ? ['runuser', '-u', 'postgres', '--'] : [];
    if (IS_ROOT) spawnSync('chown', ['postgres', this.dir]);
    this.run([this.bin('initdb'), '-D', `${this.dir}/data`, '-U', 'beian', '--auth=trust', '-E', 'UTF8',
      '--locale=C.UTF-8']);
  }

  run(argv) {
    const full = [...this.asUser, ...argv];
    const r = spawnSync(full[0], full.slice(1), { encoding: 'utf8', cwd: '/' });
    assert.equal(r.status, 0, `${argv.join(' ')}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  async freePort() {
    return new Promise((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    });
  }

  start() {
    this.run([this.bin('pg_ctl'), '-D', `${this.dir}/data`, '-l', `${this.dir}/server.log`, '-w', '-t', '60',
      '-o', `-h 127.0.0.1 -p ${this.port} -k ${this.dir}`, 'start']);
  }

  stop() { this.run([this.bin('pg_ctl'), '-D', `${this.dir}/data`, '-m', 'fast', '-w', 'stop']); }

  psql(sql, env = {}) {
    const r = spawnSync('psql', [this.url, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql],
      { encoding: 'utf8', env: { ...process.env, ...env } });
    assert.equal(r.status, 0, `psql ${sql}: ${r.stderr}`);
    return r.stdout.trim();
  }

  // A fresh cluster on a free port, migrated, with customer alice owning product p-ecs-1; resolves
  // with alice's token.
  async startWithAlice() {
    this.port = await this.freePort();
    this.url = `postgresql://beian@127.0.0.1:${this.port}/postgres`;
    this.start();
    cli(this.url, ['migrate']);
    cli(this.url, ['account', 'add', 'alice', '--role', 'customer']);
    const alice = cli(this.url, ['token', 'issue', 'alice']).stdout.trim();
    importProducts(this.url, [product('p-ecs-1', 'alice')]);
    return alice;
  }

  destroy() {
    const argv = [...this.asUser, this.bin('pg_ctl'), '-D', `${this.dir}/data`, '-m', 'immediate', 'stop'];
    spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', cwd: '/' });
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

describe('store faults (postgres)', () => {
  test('serve waits for PostgreSQL at start; while it is down: 503 + Retry-After without internal text (even unauthenticated), /metrics keeps the HTTP counters, /readyz 503, rate-limited log; recovers', async () => {
    const pg = new OwnPostgres();
    let server;
    try {
      const alice = await pg.startWithAlice();
      cli(pg.url, ['account', 'add', 'op', '--role', 'operator']);
      const op = cli(pg.url, ['token', 'issue', 'op']).stdout.trim();
      pg.stop();

      // Without a wait it fails at once, in one line with no libpq line breaks.
      const now = spawnSync(BIN, ['--db', pg.url, '--db-wait', '0', 'serve', '--listen', '127.0.0.1:0'], { encoding: 'utf8' });
      assert.equal(now.status, 1);
      assert.equal(now.stderr.trim().split('\n').length, 1, now.stderr);
      assert.match(now.stderr, /unreachable: postgres: cannot connect/);

      server = launch(pg.url, { globals: ['--db-wait', '120'] });
      await server.waitStderr(/waiting for the database \(attempt 2/);
      pg.start();
      const url = await server.listening;
      assert.equal((await apply(url, alice, 'p-ecs-1')).status, 201);

      pg.stop();
      const bogus = 'bn_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
      const unauth = await call(url, 'GET', '/v1/me', { token: bogus });
      const first = assertFault(unauth, 503);
      await assertLogged(server, first.request_id, 'unreachable');
      assertFault(await apply(url, alice, 'p-ecs-1'), 503);
      assertFault(await call(url, 'GET', '/readyz'), 503);
      const metrics = await call(url, 'GET', '/metrics');
      assert.equal(metrics.status, 200, metrics.text);
      assert.match(metrics.text, /beian_http_requests_total\{method="GET",route="\/v1\/me",status="503"\} 1\n/);
      assert.match(metrics.text, /beian_store_up 0\n/);
      // A burst of failing requests: a few lines at once, then about one a second; a line logged
      // after some were left out says how many.
      const started = Date.now();
      const burst = await Promise.all(Array.from({ length: 60 }, () => call(url, 'GET', '/v1/products', { token: op })));
      for (const r of burst) assertFault(r, 503);
      const seconds = (Date.now() - started) / 1000;
      await assertLogged(server, burst[0].body.request_id, 'unreachable').catch(() => {});
      const lines = server.stderr().split('\n').filter((l) => / fault unreachable: /.test(l));
      assert.ok(lines.length >= 5 && lines.length <= 4 + 5 + Math.ceil(seconds) + 1,
        `${lines.length} lines for ${burst.length + 4} faults in ${seconds} s:\n${lines.join('\n')}`);
      assert.ok(lines.every((l) => /^\S+ warning request \S+ fault unreachable: postgres: /.test(l)), lines.join('\n'));
      const dropped = lines.map((l) => l.match(/\((\d+) more unreachable faults not logged\)$/)).filter(Boolean);
      assert.ok(dropped.length > 0, lines.join('\n'));
      assert.ok(lines.length + dropped.reduce((n, m) => n + Number(m[1]), 0) <= burst.length + 4);

      pg.start();
      await until(async () => (await call(url, 'GET', '/readyz')).status === 200, 30000, '/readyz 200');
      assert.equal((await apply(url, alice, 'p-ecs-1')).status, 201);
      assert.match((await call(url, 'GET', '/metrics')).text, /beian_store_up 1\n/);
    } finally {
      if (server) await server.stop();
      pg.destroy();
    }
  });

  test('default_transaction_read_only: writes 503 and /readyz 503 with read-only in the log; back when reset', async () => {
    const pg = new OwnPostgres();
    let server;
    try {
      const alice = await pg.startWithAlice();
      server = launch(pg.url);
      const url = await server.listening;
      assert.equal((await apply(url, alice, 'p-ecs-1')).status, 201);

      pg.psql('ALTER SYSTEM SET default_transaction_read_only = on');
      pg.psql('SELECT pg_reload_conf()');
      const ready = await until(async () => {
        const r = await call(url, 'GET', '/readyz');
        return r.status === 503 ? r : null;
      }, 10000, '/readyz 503');
      await assertLogged(server, assertFault(ready, 503).request_id, 'read-only');
      const w = await apply(url, alice, 'p-ecs-1');
      await assertLogged(server, assertFault(w, 503).request_id, 'read-only');
      // Connections ask for a read-write session (target_session_attrs=read-write, so that after a
      // failover they find the new primary): a read-only server serves no reads either, and says so
      // with the same clean 503.
      assertFault(await call(url, 'GET', '/v1/products/p-ecs-1', { token: alice }), 503);

      pg.psql('ALTER SYSTEM RESET default_transaction_read_only', { PGOPTIONS: '-c default_transaction_read_only=off' });
      pg.psql('SELECT pg_reload_conf()');
      await until(async () => (await call(url, 'GET', '/readyz')).status === 200, 10000, '/readyz 200');
      assert.equal((await apply(url, alice, 'p-ecs-1')).status, 201);
    } finally {
      if (server) await server.stop();
      pg.destroy();
    }
  });
});
