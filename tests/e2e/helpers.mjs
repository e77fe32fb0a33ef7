// Shared fixtures of the browser tests: a real `beian demo` on 127.0.0.1 with a throw-away SQLite
// database, and Debian's Chromium driven by playwright-core (no browser download).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BIN = process.env.BEIAN_BIN ? path.resolve(process.env.BEIAN_BIN) : path.resolve(HERE, '../../build/beian');
export const RESULTS = path.join(HERE, 'test-results');

/**
 * Starts `beian demo` on a free port with a fresh database. Resolves with {url, tokens, stop}
 * once the server prints its listening line; `tokens` maps account id → token. `extraArgs` are
 * added to the command line (e.g. single sign-on options).
 */
export async function startDemo({ extraArgs = [] } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beian-e2e-'));
  const proc = spawn(BIN, ['demo', '--listen', '127.0.0.1:0', '--db', `sqlite:${path.join(dir, 'demo.db')}`, ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const tokens = {};
  const roles = {};
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`beian demo did not start in 30 s: ${stderr}`)), 30000);
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`beian demo exited ${code}: ${stderr}`)); });
    proc.on('error', (e) => { clearTimeout(timer); reject(e); });
    readline.createInterface({ input: proc.stdout }).on('line', (line) => {
      const tok = line.match(/^demo token (\S+) (\S+) (\S+)$/);
      if (tok) { tokens[tok[1]] = tok[3]; roles[tok[1]] = tok[2]; }
      const listen = line.match(/^beian: listening on (http:\/\/\S+)$/);
      if (listen) { clearTimeout(timer); resolve(listen[1].replace(/\/$/, '')); }
    });
  });
  proc.removeAllListeners('exit');
  for (const a of ['operator', 'alice', 'bob', 'carol']) assert.ok(tokens[a], `demo printed no token for ${a}`);
  assert.equal(roles.operator, 'operator');
  const stop = async () => {
    if (proc.exitCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { url, tokens, stop, stderr: () => stderr };
}

/** Calls the API directly (for setup and for checking what the console did). */
export async function apiCall(demo, token, method, p, body) {
  const res = await fetch(demo.url + p, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/**
 * Opens a fresh Chromium profile at `width` px and collects console errors and page errors.
 * `allowHttp` lists "STATUS /path" prefixes of responses the test provokes on purpose (the
 * browser logs every 4xx response as a console error).
 */
export async function openBrowser(t, demo, { width = 1280, height = 900, allowHttp = [] } = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'beian-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width, height },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const errors = [];
  const responses = [];
  const watch = (page) => {
    page.on('response', (r) => {
      if (r.status() >= 400) responses.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      const failed = m.text().match(/^Failed to load resource: the server responded with a status of (\d+)/);
      if (failed) {
        const p = new URL(m.location().url || demo.url).pathname;
        if (allowHttp.some((a) => `${failed[1]} ${p}`.startsWith(a))) return;
      }
      errors.push(`console: ${m.text()} @ ${m.location().url || ''}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  };
  ctx.on('page', watch);
  const page = ctx.pages()[0] || await ctx.newPage();
  watch(page);
  fs.mkdirSync(RESULTS, { recursive: true });
  const slug = t.name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
  let shots = 0;
  for (const f of fs.readdirSync(RESULTS)) if (f.startsWith(`${slug}-`)) fs.rmSync(path.join(RESULTS, f));
  return {
    ctx,
    page,
    errors,
    responses,
    /** Saves a full-page screenshot under test-results/. */
    shot: async (name, p = page) => {
      shots += 1;
      await p.screenshot({ path: path.join(RESULTS, `${slug}-${String(shots).padStart(2, '0')}-${name}.png`), fullPage: true });
    },
    close: async () => {
      await ctx.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens the console and signs in with `token`; waits for the first page of the role. */
export async function signIn(page, demo, token) {
  await page.goto(`${demo.url}/`);
  await page.getByLabel(/API 令牌|API token/).fill(token);
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
  await page.getByRole('navigation').waitFor();
  await page.locator('main h1').waitFor();
}

/** Runs `fn(demo)` against a fresh demo server (with `extraArgs`) and always stops it. */
export async function withDemo(fn, extraArgs = []) {
  const demo = await startDemo({ extraArgs });
  try {
    await fn(demo);
  } finally {
    await demo.stop();
  }
}

/** The card of one product on the products page. */
export function productCard(page, id) {
  return page.locator(`article.product[data-id="${id}"]`);
}

/** The reason codes listed on a product card, in order. */
export async function reasonCodes(page, id) {
  return productCard(page, id).locator('.reason').evaluateAll((els) => els.map((e) => e.dataset.code));
}

/** Asserts that the page has no horizontal scroll. */
export async function assertNoSideScroll(page, where) {
  const [sw, iw] = await page.evaluate(() => [document.scrollingElement.scrollWidth, window.innerWidth]);
  assert.ok(sw <= iw, `${where}: scrollWidth ${sw} > innerWidth ${iw}`);
}

/**
 * A browser test against its own demo server: `fn({demo, page, ctx, shot, errors})`. At the end
 * it asserts that the console logged no error; on failure it saves a screenshot first.
 * `opts.demoArgs` are added to the demo's command line.
 */
export function scenario(name, opts, fn) {
  test(name, async (t) => {
    await withDemo(async (demo) => {
      const b = await openBrowser(t, demo, opts);
      try {
        await fn({ demo, ...b });
        assert.deepEqual(b.errors, [], `console errors (HTTP errors seen: ${b.responses.join(', ')})`);
      } catch (e) {
        await b.shot('failure').catch(() => {});
        throw e;
      } finally {
        await b.close();
      }
    }, opts.demoArgs || []);
  });
}

/** Asserts that every form control and button on the page has an accessible name. */
export async function assertLabelled(page, where) {
  const unnamed = await page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('input, select, textarea, button, a[href]')) {
      if (el.type === 'hidden' || el.closest('[hidden]')) continue;
      const named = (el.labels && el.labels.length) || el.getAttribute('aria-label')
        || el.getAttribute('aria-labelledby') || (el.textContent || '').trim();
      if (!named) out.push(el.outerHTML.slice(0, 80));
    }
    return out;
  });
  assert.deepEqual(unnamed, [], `${where}: controls without a name`);
}
