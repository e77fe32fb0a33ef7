// `beian --config FILE`: the configuration file of the Debian package (deploy/debian/beian.toml)
// names every serve option, parses, and command-line options win over it.
'use strict';
const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { BIN, ROOT } = require('../http/lib/harness');

const SHIPPED = path.join(ROOT, 'deploy/debian/beian.toml');

function beian(args) {
  return spawnSync(BIN, args, { encoding: 'utf8', cwd: os.tmpdir() });
}

// The long options of `beian [SUB] --help`, without dashes (help and config left out).
function longOptions(sub) {
  const help = beian([...(sub ? [sub] : []), '--help']).stdout;
  const names = new Set();
  for (const m of help.matchAll(/--([a-z][a-z0-9-]*)/g)) names.add(m[1]);
  for (const n of ['help', 'help-all', 'config']) names.delete(n);
  return names;
}

// The keys of a TOML file (set or commented out as "# key = …"), by section ("" for top level).
function keys(text) {
  const out = { '': new Set() };
  let section = '';
  for (const line of text.split('\n')) {
    const s = line.match(/^\[([a-z]+)\]$/);
    if (s) { section = s[1]; out[section] = new Set(); continue; }
    const k = line.match(/^(?:# )?([a-z][a-z0-9-]*) = /);
    if (k) out[section].add(k[1]);
  }
  return out;
}

describe('beian --config', () => {
  test('the packaged beian.toml names every serve option and every global one', () => {
    const shipped = keys(fs.readFileSync(SHIPPED, 'utf8'));
    const serve = longOptions('serve');
    assert.ok(serve.has('listen') && serve.has('max-connections'), [...serve].join(' '));
    // Options that serve inherits from the top level (fallthrough) are documented there.
    const global = longOptions('');
    for (const o of serve) {
      if (global.has(o)) continue;
      assert.ok(shipped.serve.has(o), `serve option --${o} is missing from deploy/debian/beian.toml`);
    }
    for (const o of global) assert.ok(shipped[''].has(o), `global option --${o} is missing from deploy/debian/beian.toml`);
  });

  test('the packaged file parses; flags win over it; unknown keys are refused', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beian-config-'));
    try {
      const db = `sqlite:${path.join(dir, 'b.db')}`;
      const m = beian(['--config', SHIPPED, '--db', db, 'migrate']);
      assert.equal(m.status, 0, m.stderr);
      assert.match(m.stdout, /^schema at version \d+/);

      const conf = path.join(dir, 'beian.toml');
      fs.writeFileSync(conf, `db = "${db}"\ndb-wait = 0\n[serve]\nlisten = "not-an-address"\nmax-connections = 7\n`);
      const bad = beian(['--config', conf, 'serve']);
      assert.equal(bad.status, 2, bad.stderr);  // the file's listen value was used, and refused
      assert.match(bad.stderr, /not-an-address/);
      // The same file with --listen on the command line: the flag wins.
      const proc = spawn(BIN, ['--config', conf, 'serve', '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
      const line = await new Promise((resolve, reject) => {
        let out = '';
        let err = '';
        proc.stdout.on('data', (d) => { out += d; if (/listening on/.test(out)) resolve(out); });
        proc.stderr.on('data', (d) => { err += d; });
        proc.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
      });
      assert.match(line, /^beian: listening on http:\/\/127\.0\.0\.1:\d+/);
      proc.kill('SIGTERM');
      await new Promise((resolve) => proc.once('exit', resolve));

      fs.writeFileSync(conf, `db = "${db}"\n[serve]\nlisen = "127.0.0.1:0"\n`);
      const typo = beian(['--config', conf, 'serve']);
      assert.equal(typo.status, 2, typo.stderr);
      assert.match(typo.stderr, /lisen/);
      const missing = beian(['--config', path.join(dir, 'nope.toml'), 'migrate']);
      assert.equal(missing.status, 2, missing.stderr);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
