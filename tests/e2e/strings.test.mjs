// The console's string tables (web/i18n_zh.js, web/i18n_en.js): complete in both languages, with
// the same placeholders, and holding every key the console's code asks for. No browser needed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import en from '../../web/i18n_en.js';
import zh from '../../web/i18n_zh.js';

const WEB = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');

function sources(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.js') && !e.name.startsWith('i18n_') ? [p] : [];
  });
}

const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('both languages have the same keys', () => {
  const zhKeys = Object.keys(zh);
  const enKeys = Object.keys(en);
  assert.deepEqual(zhKeys.filter((k) => !(k in en)), [], 'keys missing in English');
  assert.deepEqual(enKeys.filter((k) => !(k in zh)), [], 'keys missing in Chinese');
  assert.ok(zhKeys.length > 100);
});

test('each text has the same placeholders in both languages, and none is empty', () => {
  for (const k of Object.keys(zh)) {
    assert.ok(zh[k].trim() && en[k].trim(), `${k} is empty`);
    assert.deepEqual(placeholders(en[k]), placeholders(zh[k]), `placeholders of ${k}`);
  }
});

test('every key the console names literally is in the tables', () => {
  const used = new Set();
  for (const file of sources(WEB)) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/\b(?:t|has)\('([\w.]+)'/g)) used.add(m[1]);
  }
  assert.ok(used.size > 50, `only ${used.size} keys found: is the pattern stale?`);
  assert.deepEqual([...used].filter((k) => !(k in zh)).sort(), []);
});
