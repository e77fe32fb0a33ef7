// `beian events archive` (archive then delete, once) and `beian serve`'s audit retention options:
// a policy with retention_days needs an existing --audit-archive-dir.
'use strict';
const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { BIN, backends, freshDatabase, cli, startServer } = require('../http/lib/harness');

function lines(text) {
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
}

for (const backend of backends()) {
  describe(`beian events archive (${backend})`, () => {
    test('archives every event before --before to a file, then deletes exactly those', () => {
      const db = freshDatabase(backend);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beian-archive-'));
      try {
        cli(db.url, ['migrate']);
        for (const id of ['alice', 'bob']) cli(db.url, ['account', 'add', id, '--role', 'customer']);
        const before = lines(cli(db.url, ['events', 'export']).stdout);
        assert.ok(before.length >= 2);
        const r = cli(db.url, ['events', 'archive', '--before', '2999-01-01T00:00:00Z', '--dir', dir]);
        assert.match(r.stdout, new RegExp(`archived and deleted ${before.length} events in 1 files`));
        const files = fs.readdirSync(dir);
        assert.equal(files.length, 1);
        assert.match(files[0], new RegExp(`^events-${before[0].seq}-${before[before.length - 1].seq}-\\d{8}\\.ndjson$`));
        // The fields of GET /v1/events plus account2 (here always "").
        const archived = lines(fs.readFileSync(path.join(dir, files[0]), 'utf8'));
        assert.ok(archived.every((e) => e.account2 === ''));
        assert.deepEqual(archived.map(({ account2, ...e }) => e), before);
        assert.equal(cli(db.url, ['events', 'export']).stdout, '');
        // Nothing is older any more; a missing directory is refused before anything is deleted.
        assert.match(cli(db.url, ['events', 'archive', '--before', '2999-01-01T00:00:00Z', '--dir', dir]).stdout, /archived and deleted 0 events/);
        cli(db.url, ['account', 'add', 'carol', '--role', 'customer']);
        const missing = cli(db.url, ['events', 'archive', '--before', '2999-01-01T00:00:00Z', '--dir', path.join(dir, 'nope')], { expectFail: true });
        assert.equal(missing.status, 1);
        assert.equal(lines(cli(db.url, ['events', 'export']).stdout).length, 1);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
        db.drop();
      }
    });
  });
}

describe('beian serve with audit retention', () => {
  test('retention without an archive directory refuses to start; with one it serves', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beian-retention-'));
    const db = `sqlite:${path.join(dir, 'b.db')}`;
    try {
      cli(db, ['migrate']);
      const policy = path.join(dir, 'policy.toml');
      fs.writeFileSync(policy, '[audit]\nretention_days = 30\n');
      const serve = (extra) => spawnSync(BIN, ['--db', db, 'serve', '--listen', '127.0.0.1:0', '--policy', policy, ...extra],
        { encoding: 'utf8', timeout: 20000 });
      const none = serve([]);
      assert.equal(none.status, 2, none.stderr);
      assert.match(none.stderr, /retention_days = 30: give --audit-archive-dir/);
      const missing = serve(['--audit-archive-dir', path.join(dir, 'nope')]);
      assert.equal(missing.status, 2, missing.stderr);
      const archive = path.join(dir, 'archive');
      fs.mkdirSync(archive);
      const server = await startServer(db, { extraArgs: ['--policy', policy, '--audit-archive-dir', archive] });
      await server.stop();
      // Events of the last 30 days are kept: nothing archived.
      assert.deepEqual(fs.readdirSync(archive), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
