// `beian` usage as the contract says (interface.md "CLI"): global options after the subcommand,
// exit 2 with a clear line for wrong usage, one-line errors. Runs ${BEIAN_BIN || 'build/beian'}.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const BIN = path.resolve(process.env.BEIAN_BIN || 'build/beian');

function beian(args, { input = '', env = {} } = {}) {
  const r = spawnSync(BIN, args, {
    input, encoding: 'utf8', cwd: os.tmpdir(), env: { ...process.env, BEIAN_DB: '', ...env },
  });
  if (r.error) throw r.error;
  return r;
}

function tmpDb() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beian-usage-'));
  return `sqlite:${path.join(dir, 'beian.db')}`;
}

// Exactly one non-empty line on stderr.
function assertOneLine(stderr) {
  assert.match(stderr, /^[^\n]+\n$/, `one line expected: ${JSON.stringify(stderr)}`);
}

test('--db is accepted after the subcommand too, also on nested subcommands', () => {
  const db = tmpDb();
  let r = beian(['migrate', '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^schema at version \d+/);
  r = beian(['account', 'add', 'alice', '--role', 'customer', '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  r = beian(['token', 'issue', `--db=${db}`, 'alice']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^beian_/);
  // Before the subcommand, as always.
  r = beian(['--db', db, 'account', 'add', 'bob', '--role', 'customer']);
  assert.equal(r.status, 0, r.stderr);
  // Every subcommand's --help says so.
  for (const sub of [['migrate'], ['account', 'add'], ['serve'], ['explain']]) {
    r = beian([...sub, '--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /--db URL/, sub.join(' '));
  }
});

test('an unknown subcommand names itself and exits 2', () => {
  for (const [args, word] of [[['frobnicate'], 'frobnicate'], [['--db', tmpDb(), 'frobnicate', '-x'], 'frobnicate'],
    [['account', 'frob'], 'frob'], [['token', 'revokee', 'x'], 'revokee']]) {
    const r = beian(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assertOneLine(r.stderr);
    assert.match(r.stderr, new RegExp(`unknown command '${word}'`));
    assert.doesNotMatch(r.stderr, /A subcommand is required/);
  }
});

test('a malformed positional value or store URL is wrong usage: exit 2', () => {
  const db = tmpDb();
  assert.equal(beian(['--db', db, 'migrate']).status, 0);
  for (const args of [['--db', db, 'account', 'add', 'bad id', '--role', 'customer'],
    ['--db', db, 'token', 'issue', 'bad/id'], ['--db', 'mysql://x', 'migrate'], ['migrate', '--db', 'sqlite:'],
    ['--db', 'mysql://x', 'account', 'add', 'a', '--role', 'customer']]) {
    const r = beian(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
  }
  const r = beian(['migrate'], { env: { BEIAN_DB: 'mysql://x' } });
  assert.equal(r.status, 2, r.stderr);
});

test('a PostgreSQL connection error reaches the user as one line', () => {
  for (const sub of [['migrate'], ['account', 'add', 'a', '--role', 'customer'], ['serve', '--listen', '127.0.0.1:0']]) {
    const r = beian(['--db', 'postgresql://nobody@127.0.0.1:1/x', '--db-wait', '0', ...sub]);
    assert.equal(r.status, 1, `${sub.join(' ')}: ${r.stderr}`);
    assertOneLine(r.stderr);
    assert.match(r.stderr, /^beian: UNAVAILABLE: /);
  }
});

test('explain needs no id', () => {
  const input = JSON.stringify({ account_id: 'a', kind: 'ecs', billing: 'pay_as_you_go', region: 'us-east-1' });
  const r = beian(['explain', '--now', '2026-11-27T10:00:00+08:00', '--lang', 'en'], { input });
  assert.equal(r.status, 0, r.stderr);
  const e = JSON.parse(r.stdout);
  assert.equal(e.can_apply, false);
  assert.ok(e.reasons.some((x) => x.code === 'PAY_AS_YOU_GO'), r.stdout);
  // A repeated key is still refused, on one line.
  const dup = beian(['explain'], { input: '{"kind":"ecs","kind":"vhost"}' });
  assert.equal(dup.status, 1);
  assertOneLine(dup.stderr);
  assert.match(dup.stderr, /duplicate key "kind"/);
});
