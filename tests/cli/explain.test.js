// `beian explain` and `beian policy show` as a black box (no database).
// Runs ${BEIAN_BIN || 'build/beian'}.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const BIN = path.resolve(process.env.BEIAN_BIN || 'build/beian');
const NOW = '2026-11-27T10:00:00+08:00';

function beian(args, input = '') {
  const r = spawnSync(BIN, args, { input, encoding: 'utf8', cwd: os.tmpdir() });
  if (r.error) throw r.error;
  return r;
}

function product(fields = {}) {
  return JSON.stringify({
    id: 'i-bp1a2b3c', account_id: 'alice', kind: 'ecs', name: 'web-1',
    billing: 'subscription', region: 'cn-hangzhou', public_ips: ['47.96.1.2'],
    expires_at: '2027-11-27T00:00:00+08:00', status: 'running', ...fields,
  });
}

function tmpFile(name, text) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beian-explain-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

test('a fileable product can apply', () => {
  const r = beian(['explain', '--now', NOW, '--used', '2'], product());
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.deepEqual(JSON.parse(r.stdout), {
    can_apply: true, reasons: [], hints: [],
    quota: { scope: 'product', limit: 5, used: 2, remaining: 3 },
  });
});

test('every failing rule is listed in order, zh by default, en on request', () => {
  const input = product({ public_ips: [], expires_at: '2027-01-15T00:00:00+08:00' });
  const zh = JSON.parse(beian(['explain', '--now', NOW, '--used', '5', '--as', 'bob'], input).stdout);
  assert.equal(zh.can_apply, false);
  assert.deepEqual(zh.reasons.map((r) => r.code),
    ['NOT_OWNER', 'REMAINING_TERM_TOO_SHORT', 'NO_PUBLIC_IP', 'QUOTA_EXHAUSTED']);
  const term = zh.reasons[1];
  assert.equal(term.renew_until, '2027-02-27T10:00:00+08:00');
  assert.match(term.message, /不足 3 个月/);
  assert.match(term.remedy, /2027-02-27/);
  assert.match(zh.reasons[2].message, /该实例无可备案的IP/);

  const en = JSON.parse(beian(['explain', '--now', NOW, '--used', '5', '--lang', 'en'], input).stdout);
  assert.deepEqual(en.reasons.map((r) => r.code),
    ['REMAINING_TERM_TOO_SHORT', 'NO_PUBLIC_IP', 'QUOTA_EXHAUSTED']);
  assert.match(en.reasons[0].remedy, /2027-02-27 10:00 \(China Standard Time\)/);
});

test('FAQ: pay-as-you-go ECS cannot apply; a CXT shop needs no number', () => {
  const payg = product({ billing: 'pay_as_you_go', expires_at: undefined });
  const r = JSON.parse(beian(['explain', '--now', NOW], payg).stdout);
  assert.deepEqual(r.reasons.map((x) => x.code), ['PAY_AS_YOU_GO']);
  assert.match(r.reasons[0].remedy, /包年包月/);

  const shop = JSON.parse(beian(['explain', '--now', NOW], product({ kind: 'cxt_shop' })).stdout);
  assert.deepEqual(shop.reasons.map((x) => x.code), ['NO_SERVICE_NUMBER_NEEDED']);
  assert.equal(shop.quota.limit, 0);
});

test('Hong Kong and virtual host hints', () => {
  const hk = JSON.parse(beian(['explain', '--now', NOW], product({ region: 'cn-hongkong' })).stdout);
  assert.deepEqual(hk.reasons.map((x) => x.code), ['REGION_NOT_MAINLAND']);
  assert.deepEqual(hk.hints.map((x) => x.code), ['HONG_KONG_NO_FILING_NEEDED']);
  const vhost = JSON.parse(
    beian(['explain', '--now', NOW], product({ kind: 'vhost', public_ips: [] })).stdout);
  assert.equal(vhost.can_apply, true);
  assert.deepEqual(vhost.hints.map((x) => x.code), ['VHOST_CREDENTIALS_ACCEPTED']);
});

test('an invalid product exits 1 with one stderr line naming the field', () => {
  const input = JSON.stringify({
    id: 'i-1', account_id: 'alice', kind: 'ecs', billing: 'subscription', region: 'cn-hangzhou',
  });
  const r = beian(['explain', '--now', NOW], input);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'beian: invalid product: expires_at: required for subscription billing\n');

  for (const bad of ['', 'not json', '[]', product({ public_ips: ['300.1.1.1'] }),
    product({ kind: 'vps' }), product({ colour: 'red' }), product({ status: 'a\nb' }),
    product() + '\n' + product()]) {
    const b = beian(['explain', '--now', NOW], bad);
    assert.equal(b.status, 1, bad);
    assert.equal(b.stdout, '');
    assert.match(b.stderr, /^beian: invalid product: [^\n]+\n$/, bad);
  }
});

test('wrong usage exits 2', () => {
  for (const args of [
    ['explain', '--now', 'yesterday'],
    ['explain', '--now', '2026-02-30T00:00:00Z'],
    ['explain', '--used', '-1'],
    ['explain', '--used', 'many'],
    ['explain', '--lang', 'fr'],
    ['explain', '--as', 'bad/account'],
    ['explain', '--bogus'],
    ['explain', 'extra-arg'],
    ['policy'],
    ['policy', 'show', '--nope'],
  ]) {
    const r = beian(args, product());
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
  }
});

test('policy show prints the defaults, and merged files round-trip', () => {
  const d = beian(['policy', 'show']);
  assert.equal(d.status, 0, d.stderr);
  assert.match(d.stdout, /\[kinds\.ecs\]\nmin_months = 3\nneeds_public_ip = true\nquota = 5\n/);
  assert.match(d.stdout, /\[kinds\.web_hosting\][^[]*scope = "account"/);
  assert.match(d.stdout, /\[kinds\.marketplace_site\][^[]*min_months = 12[^[]*quota = 1/);

  const file = tmpFile('policy.toml', 'non_mainland_regions = ["cn-macau"]\n[kinds.ecs]\nquota = 7\n');
  const merged = beian(['policy', 'show', '--policy', file]);
  assert.equal(merged.status, 0, merged.stderr);
  assert.match(merged.stdout, /non_mainland_regions = \["cn-macau"\]/);
  assert.match(merged.stdout, /\[kinds\.ecs\]\nmin_months = 3\nneeds_public_ip = true\nquota = 7\n/);

  const again = beian(['policy', 'show', '--policy', tmpFile('again.toml', merged.stdout)]);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.stdout, merged.stdout);

  const r = JSON.parse(beian(['explain', '--now', NOW, '--used', '5', '--policy', file], product()).stdout);
  assert.equal(r.can_apply, true);
  assert.equal(r.quota.limit, 7);
  const macau = JSON.parse(beian(['explain', '--now', NOW, '--policy', file],
    product({ region: 'cn-macau' })).stdout);
  assert.deepEqual(macau.reasons.map((x) => x.code), ['REGION_NOT_MAINLAND']);
});

test('a bad policy file exits 1 with one line naming file, key and reason', () => {
  const file = tmpFile('bad.toml', '[kinds.ecs]\nquota = "five"\n');
  for (const args of [['policy', 'show', '--policy', file], ['explain', '--policy', file]]) {
    const r = beian(args, product());
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr,
      `beian: invalid policy file ${file}: kinds.ecs.quota: must be an integer from 0 to 10000\n`);
  }
  const missing = beian(['policy', 'show', '--policy', '/nonexistent/policy.toml']);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^beian: cannot read policy file \/nonexistent\/policy\.toml\n$/);
});
