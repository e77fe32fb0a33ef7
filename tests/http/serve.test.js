// `beian serve` as a command: usage errors, schema checks before serving, the listening line, on
// SQLite and PostgreSQL.
'use strict';
const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const { backends, freshDatabase, cli, startServer, call } = require('./lib/harness');

// Runs SQL on the database behind a store URL with the backend's own command-line client.
function sql(backend, url, statement) {
  const r = backend === 'sqlite'
    ? spawnSync('sqlite3', [url.replace(/^sqlite:/, ''), statement], { encoding: 'utf8' })
    : spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qc', statement], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

for (const backend of backends()) {
  describe(`beian serve (${backend})`, () => {
    test('wrong usage exits 2 with one line on stderr', () => {
      const db = freshDatabase(backend);
      try {
        for (const args of [['--listen', 'nonsense'], ['--listen', '127.0.0.1:99999'], ['--threads', '0'],
          ['--workers', 'x'], ['--bogus']]) {
          const r = cli(db.url, ['serve', ...args], { expectFail: true });
          assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
          assert.notEqual(r.stderr.trim(), '');
          assert.equal(r.stdout, '');
        }
      } finally {
        db.drop();
      }
    });

    test('refuses a database without the schema, and one with a newer schema', () => {
      const db = freshDatabase(backend);
      try {
        const bare = cli(db.url, ['serve', '--listen', '127.0.0.1:0'], { expectFail: true });
        assert.equal(bare.status, 1);
        assert.match(bare.stderr, /beian migrate/);
        assert.doesNotMatch(bare.stdout, /listening/);
        cli(db.url, ['migrate']);
        sql(backend, db.url, 'INSERT INTO schema_version (version, applied_at) VALUES (999, 0)');
        const newer = cli(db.url, ['serve', '--listen', '127.0.0.1:0'], { expectFail: true });
        assert.equal(newer.status, 1);
        assert.match(newer.stderr, /SCHEMA_TOO_NEW|newer/);
        assert.equal(newer.stderr.trim().split('\n').length, 1);
      } finally {
        db.drop();
      }
    });

    test('a bad policy file is refused before serving', () => {
      const db = freshDatabase(backend);
      try {
        cli(db.url, ['migrate']);
        const r = cli(db.url, ['serve', '--listen', '127.0.0.1:0', '--policy', '/nonexistent/policy.toml'],
          { expectFail: true });
        assert.equal(r.status, 1);
        assert.match(r.stderr, /policy/i);
      } finally {
        db.drop();
      }
    });

    test('prints exactly the listening line, serves with a policy file, and exits 0 on SIGINT', async () => {
      const fs = require('node:fs');
      const os = require('node:os');
      const path = require('node:path');
      const db = freshDatabase(backend);
      const policy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'beian-policy-')), 'policy.toml');
      fs.writeFileSync(policy, '[kinds.ecs]\nquota = 1\n');
      try {
        cli(db.url, ['migrate']);
        cli(db.url, ['account', 'add', 'alice', '--role', 'customer']);
        const token = cli(db.url, ['token', 'issue', 'alice']).stdout.trim();
        const server = await startServer(db.url, { extraArgs: ['--policy', policy, '--threads', '1'] });
        assert.deepEqual(server.stdoutLines.length, 1);
        assert.match(server.stdoutLines[0], /^beian: listening on http:\/\/127\.0\.0\.1:\d+$/);
        const op = cli(db.url, ['account', 'add', 'op', '--role', 'operator']);
        assert.equal(op.status, 0);
        const opToken = cli(db.url, ['token', 'issue', 'op']).stdout.trim();
        const put = await call(server.url, 'PUT', '/v1/products/p1', { token: opToken, body: {
          account_id: 'alice', kind: 'ecs', billing: 'subscription', region: 'cn-hangzhou',
          public_ips: ['47.96.1.2'], expires_at: '2030-01-01T00:00:00Z' } });
        assert.equal(put.status, 201, put.text);
        assert.equal(put.body.eligibility.quota.limit, 1);
        assert.equal((await call(server.url, 'POST', '/v1/products/p1/service-numbers', { token })).status, 201);
        assert.equal((await call(server.url, 'POST', '/v1/products/p1/service-numbers', { token })).status, 409);
        server.proc.kill('SIGINT');
        const { code } = await server.exited;
        assert.equal(code, 0);
        assert.match(server.stderr(), /POST \/v1\/products\/p1\/service-numbers 201/);
      } finally {
        db.drop();
      }
    });
  });
}
