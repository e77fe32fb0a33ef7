// Shared helpers of the HTTP black-box tests: a fresh database per suite (SQLite file or a new
// PostgreSQL database under BEIAN_TEST_PG_ADMIN_URL), accounts and tokens made with the CLI, a real
// `beian serve` on 127.0.0.1, and a small fetch wrapper.
'use strict';
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');

const ROOT = path.resolve(__dirname, '../../..');
const BIN = path.resolve(ROOT, process.env.BEIAN_BIN || 'build/beian');

// The store back-ends every suite runs on. PostgreSQL is not optional: `make http-test` runs the
// suites under scripts/with_pg.sh, which sets BEIAN_TEST_PG_ADMIN_URL.
function backends() {
  return ['sqlite', 'postgres'];
}

function pgAdminUrl() {
  const url = process.env.BEIAN_TEST_PG_ADMIN_URL;
  assert.ok(url, 'BEIAN_TEST_PG_ADMIN_URL is not set: run the tests under scripts/with_pg.sh');
  return url;
}

// A fresh, empty database: {url, drop()}.
function freshDatabase(backend) {
  if (backend === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beian-http-'));
    return { url: `sqlite:${path.join(dir, 'beian.db')}`, drop: () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = pgAdminUrl();
  const name = `beian_http_${crypto.randomBytes(6).toString('hex')}`;
  const psql = (sql) => {
    const r = spawnSync('psql', [admin, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { encoding: 'utf8' });
    assert.equal(r.status, 0, `psql ${sql}: ${r.stderr}`);
  };
  psql(`CREATE DATABASE ${name}`);
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

// Runs the CLI synchronously against `db`; asserts exit 0 unless `expectFail`.
function cli(db, args, { input = '', expectFail = false } = {}) {
  const r = spawnSync(BIN, ['--db', db, ...args], { input, encoding: 'utf8', cwd: os.tmpdir() });
  if (r.error) throw r.error;
  if (!expectFail) assert.equal(r.status, 0, `beian ${args.join(' ')}: ${r.stderr}`);
  return r;
}

// Starts `beian <command> --listen 127.0.0.1:0` on `db`; resolves once it prints its listening line.
async function startServer(db, { command = 'serve', extraArgs = [] } = {}) {
  const proc = spawn(BIN, ['--db', db, command, '--listen', '127.0.0.1:0', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: os.tmpdir() });
  let stderr = '';
  const stdoutLines = [];
  proc.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`beian ${command} did not start in 30 s: ${stderr}`)), 30000);
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`beian ${command} exited ${code}: ${stderr}`)); });
    readline.createInterface({ input: proc.stdout }).on('line', (line) => {
      stdoutLines.push(line);
      const m = line.match(/^beian: listening on (http:\/\/127\.0\.0\.1:\d+)$/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
  });
  proc.removeAllListeners('exit');
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    url, proc, exited, stdoutLines,
    stderr: () => stderr,
    // Sends SIGTERM and resolves with {code, signal} once the process is gone.
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 10000);
        const r = await exited;
        clearTimeout(timer);
        return r;
      }
      return exited;
    },
  };
}

// Calls the API. Returns {status, headers, text, body} (body parsed when JSON).
async function call(url, method, p, { token, body, headers = {}, lang, raw } = {}) {
  const h = { ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  if (lang) h['Accept-Language'] = lang;
  let payload;
  if (raw !== undefined) payload = raw;
  else if (body !== undefined) { payload = JSON.stringify(body); h['Content-Type'] = 'application/json'; }
  const res = await fetch(url + p, { method, headers: h, body: payload });
  const text = await res.text();
  let parsed;
  const type = res.headers.get('content-type') || '';
  if (type.includes('json') && !type.includes('ndjson') && text !== '') parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, text, body: parsed };
}

// Asserts a problem+json answer with `status` and `code`; returns its body.
function assertProblem(r, status, code) {
  assert.equal(r.status, status, `expected ${status} ${code}, got ${r.status}: ${r.text}`);
  assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
  assert.equal(r.body.code, code, r.text);
  assert.equal(r.body.status, status);
  for (const k of ['type', 'title', 'detail']) assert.equal(typeof r.body[k], 'string', k);
  return r.body;
}

// RFC 3339 (UTC) of now plus `days`.
function inDays(days) {
  return new Date(Date.now() + days * 86400000).toISOString().replace(/\.\d+Z$/, 'Z');
}

// A product object: a fileable ECS of `account` unless overridden.
function product(id, account, fields = {}) {
  return {
    id, account_id: account, kind: 'ecs', name: id, billing: 'subscription', region: 'cn-hangzhou',
    public_ips: ['47.96.1.2'], expires_at: inDays(400), status: 'running', ...fields,
  };
}

// A running server on a fresh migrated database with accounts op (operator), alice, bob and carol
// (customers) and a token each: {url, db, tokens, server, call(method, path, opts), stop()}.
async function setup(backend, { command = 'serve', extraArgs = [] } = {}) {
  const database = freshDatabase(backend);
  cli(database.url, ['migrate']);
  const tokens = {};
  for (const [id, role] of [['op', 'operator'], ['alice', 'customer'], ['bob', 'customer'], ['carol', 'customer']]) {
    cli(database.url, ['account', 'add', id, '--role', role, '--name', `${id} name`]);
    tokens[id] = cli(database.url, ['token', 'issue', id]).stdout.trim();
  }
  const server = await startServer(database.url, { command, extraArgs });
  const ctx = {
    url: server.url, db: database.url, tokens, server,
    call: (method, p, opts = {}) => call(server.url, method, p, opts),
    as: (who) => ({
      get: (p, o = {}) => call(server.url, 'GET', p, { token: tokens[who], ...o }),
      post: (p, body, o = {}) => call(server.url, 'POST', p, { token: tokens[who], body, ...o }),
      put: (p, body, o = {}) => call(server.url, 'PUT', p, { token: tokens[who], body, ...o }),
      del: (p, o = {}) => call(server.url, 'DELETE', p, { token: tokens[who], ...o }),
    }),
    // Upserts products as the operator; asserts 200/201.
    async putProducts(...products) {
      for (const p of products) {
        const r = await call(server.url, 'PUT', `/v1/products/${encodeURIComponent(p.id)}`, { token: tokens.op, body: p });
        assert.ok(r.status === 200 || r.status === 201, `PUT product ${p.id}: ${r.status} ${r.text}`);
      }
    },
    async stop() {
      const r = await server.stop();
      database.drop();
      return r;
    },
  };
  return ctx;
}

// Writes a policy file that allows far more writes than the default rate limits (per account and
// per token) and returns its path: for tests whose load is about something else.
function highWriteLimitsPolicy() {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'beian-policy-')), 'policy.toml');
  fs.writeFileSync(file, '[limits]\naccount_write_burst = 1000000\naccount_writes_per_minute = 1000000\n'
    + 'token_write_burst = 1000000\ntoken_writes_per_minute = 1000000\n');
  return file;
}

// Resolves with the first truthy value of `probe()` (sync or async), asked every 25 ms; fails the
// test ("timed out waiting for <what>") once `ms` have passed without one.
async function until(what, probe, ms = 10000) {
  const t0 = Date.now();
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() - t0 > ms) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

module.exports = {
  BIN, ROOT, backends, freshDatabase, cli, startServer, call, assertProblem, inDays, product, setup,
  highWriteLimitsPolicy, until,
};
