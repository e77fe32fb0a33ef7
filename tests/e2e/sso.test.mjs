// Console single sign-on (issue 9 point 5) in Chromium against a real OpenID provider (npm
// oidc-provider, started here on 127.0.0.1): authorization code flow with PKCE, the session cookie's
// attributes, CSRF on cookie-authenticated writes, sign-out (revoked on the server), audit events,
// and the refusals the console explains.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import Provider from 'oidc-provider';
import { apiCall, openBrowser, productCard, startDemo } from './helpers.mjs';

const CLIENT_ID = 'beian-console';
const CLIENT_SECRET = 'test-secret-0123456789abcdef';

/**
 * An OpenID provider on 127.0.0.1 (oidc-provider's development login and consent pages: any login
 * name with any password). `roles[sub]` is the beian_roles claim of that user. The provider needs
 * beian's redirect URI, and beian needs the issuer, so the port is bound first and the provider is
 * attached once beian runs.
 */
async function startProvider() {
  const server = http.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const roles = {};
  const tokenRequests = [];
  return {
    issuer,
    roles,
    tokenRequests,
    attach(redirectUri) {
      const provider = new Provider(issuer, {
        clients: [{
          client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [redirectUri],
          grant_types: ['authorization_code'], response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        }],
        pkce: { required: () => true },
        claims: { openid: ['sub'], profile: ['beian_roles', 'name'] },
        findAccount: (ctx, sub) => ({
          accountId: sub,
          claims: () => ({ sub, name: sub, beian_roles: roles[sub] ?? [] }),
        }),
        conformIdTokenClaims: false, // beian_roles goes into the ID token
        cookies: { keys: ['e2e-cookie-key-0123456789'] },
        features: { devInteractions: { enabled: true } },
      });
      const handle = provider.callback();
      server.on('request', (req, res) => {
        if (req.url.startsWith('/token')) {
          let body = '';
          req.on('data', (d) => { body += d; });
          req.on('end', () => tokenRequests.push(new URLSearchParams(body)));
        }
        handle(req, res);
      });
    },
    stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

/** Runs `fn` with a provider, a demo server configured for it and a browser. */
async function withSso(t, fn) {
  const idp = await startProvider();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beian-sso-'));
  const secretFile = path.join(dir, 'secret');
  fs.writeFileSync(secretFile, `${CLIENT_SECRET}\n`);
  const demo = await startDemo({
    extraArgs: ['--oidc-issuer', idp.issuer, '--oidc-client-id', CLIENT_ID,
      '--oidc-client-secret-file', secretFile, '--oidc-roles-claim', 'beian_roles'],
  });
  idp.attach(`${demo.url}/auth/callback`);
  const b = await openBrowser(t, demo, { allowHttp: ['401 /v1/', '403 /v1/'] });
  // Only loopback: the provider's development pages link a web font, which must not be fetched.
  await b.ctx.route((url) => !['127.0.0.1', 'localhost'].includes(url.hostname), (r) => r.abort());
  try {
    await fn({ idp, demo, ...b });
    const ours = b.errors.filter((e) => !e.includes(idp.issuer) && !e.includes('fonts.googleapis'));
    assert.deepEqual(ours, [], `console errors (HTTP errors seen: ${b.responses.join(', ')})`);
  } catch (e) {
    await b.shot('failure').catch(() => {});
    const log = demo.stderr().split('\n').filter((l) => /sign-in|oidc|request .*:/.test(l));
    process.stderr.write(`beian log:\n${log.join('\n')}\n`);
    throw e;
  } finally {
    await b.close();
    await demo.stop();
    await idp.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Clicks "sign in with single sign-on" and logs in at the provider as `login`. Cookies are cleared
 * first: the provider would otherwise sign the previous user in again without asking (both
 * servers are on 127.0.0.1, and cookies do not tell ports apart).
 */
async function ssoSignIn(page, demo, login) {
  await page.context().clearCookies();
  if (process.env.SSO_DEBUG) {
    page.on('request', (r) => { if (r.url().includes('/auth/')) console.log('REQ', r.method(), r.url().slice(0, 90), r.headers().cookie); });
    page.on('response', async (r) => { if (r.url().includes('/auth/')) console.log('RES', r.status(), r.url().slice(0, 90), JSON.stringify(await r.allHeaders()).slice(0, 400)); });
  }
  await page.goto(`${demo.url}/`);
  await page.getByRole('link', { name: '使用单点登录' }).click();
  await page.waitForURL((u) => !u.href.startsWith(demo.url));
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill('any password');
  await page.locator('button[type=submit]').click();
  // First sign-in of this user: the consent page.
  const consent = page.getByRole('button', { name: 'Continue' });
  await Promise.race([consent.waitFor(), page.waitForURL((u) => u.href.startsWith(demo.url))]);
  if (await consent.isVisible().catch(() => false)) await consent.click();
  await page.waitForURL((u) => u.href.startsWith(demo.url));
}

test('alice signs in with single sign-on, writes with CSRF protection and signs out', async (t) => {
  await withSso(t, async ({ idp, demo, page, ctx, shot }) => {
    await page.goto(`${demo.url}/`);
    await page.getByRole('heading', { name: '登录' }).waitFor();
    await page.getByLabel('API 令牌').waitFor(); // the token stays as the alternative
    await shot('sign-in-choice');

    await ssoSignIn(page, demo, 'alice');
    await productCard(page, 'ecs-web-1').waitFor();
    assert.equal(await page.evaluate(async () => (await (await fetch('/v1/me')).json()).id), 'alice');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('beian.token')), null);
    await shot('signed-in');

    // The code was exchanged with PKCE and the client secret (HTTP Basic).
    assert.equal(idp.tokenRequests.length, 1);
    assert.equal(idp.tokenRequests[0].get('grant_type'), 'authorization_code');
    assert.match(idp.tokenRequests[0].get('code_verifier'), /^[A-Za-z0-9_-]{43,128}$/);

    const cookies = await ctx.cookies(demo.url);
    const session = cookies.find((c) => c.name === 'beian_session');
    assert.ok(session, JSON.stringify(cookies));
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Lax');
    assert.equal(session.secure, false); // http://127.0.0.1; https --public-url makes it Secure
    assert.ok(session.expires > Date.now() / 1000 + 3600);
    assert.equal(await page.evaluate(() => document.cookie.includes('beian_session')), false);

    // A write through the console carries the CSRF token: apply for a number.
    const card = productCard(page, 'ecs-quota-4');
    await card.getByRole('button', { name: /申请/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确认申请' }).click();
    const done = page.getByRole('dialog', { name: '申请成功' });
    await done.waitFor();
    await done.getByRole('button', { name: '关闭' }).click();

    // The same write without the CSRF token, or from another origin, is refused.
    const forged = await page.evaluate(async () => {
      const r = await fetch('/v1/products/ecs-quota-4/service-numbers', { method: 'POST' });
      return { status: r.status, body: await r.json() };
    });
    assert.equal(forged.status, 403);
    assert.equal(forged.body.code, 'FORBIDDEN');
    assert.match(forged.body.detail, /CSRF/);
    const csrf = await page.evaluate(async () => (await (await fetch('/auth/session')).json()).csrf_token);
    const cookieHeader = `beian_session=${session.value}`;
    const crossOrigin = await fetch(`${demo.url}/v1/products/ecs-quota-4/service-numbers`, {
      method: 'POST', headers: { Cookie: cookieHeader, 'X-CSRF-Token': csrf, Origin: 'http://127.0.0.2:1' },
    });
    assert.equal(crossOrigin.status, 403);
    const me = await fetch(`${demo.url}/v1/me`, { headers: { Cookie: cookieHeader } });
    assert.equal((await me.json()).id, 'alice');

    await page.getByRole('button', { name: '退出' }).click();
    await page.getByRole('heading', { name: '登录' }).waitFor();
    await shot('signed-out');
    // The session is revoked on the server, not only forgotten by the browser.
    const after = await fetch(`${demo.url}/v1/me`, { headers: { Cookie: cookieHeader } });
    assert.equal(after.status, 401);
    assert.equal((await ctx.cookies(demo.url)).some((c) => c.name === 'beian_session'), false);

    const events = await apiCall(demo, demo.tokens.operator, 'GET', '/v1/events?limit=500');
    const auth = events.body.items.filter((e) => e.type.startsWith('auth.')).map((e) => `${e.type} ${e.actor}`);
    // The forged writes (no CSRF token, another origin) were refused and audited as alice's (once
    // a minute per credential and route); the signed-out cookie's 401 as anonymous.
    assert.deepEqual(auth, ['auth.signed_in alice', 'auth.denied alice', 'auth.signed_out alice',
      'auth.denied anonymous']);
  });
});

test('an operator holds its roles that the roles claim names; an unknown identity gets no session', async (t) => {
  await withSso(t, async ({ idp, demo, page, ctx, shot }) => {
    await ssoSignIn(page, demo, 'nobody');
    const alert = page.locator('[data-code=NO_ACCOUNT]');
    await alert.waitFor();
    assert.match(await alert.textContent(), /没有对应的备案账号/);
    await shot('no-account');

    await ssoSignIn(page, demo, 'operator');
    await page.locator('[data-code=NO_ROLE]').waitFor();
    assert.equal((await ctx.cookies(demo.url)).some((c) => c.name === 'beian_session'), false);

    idp.roles.operator = ['reviewer'];
    await ssoSignIn(page, demo, 'operator');
    await page.getByRole('link', { name: '备案审核' }).waitFor();
    // The account holds all three roles, the claim only reviewer: no accounts page, and the API
    // refuses what needs the admin role.
    assert.equal(await page.getByRole('link', { name: '账号管理' }).count(), 0);
    const denied = await page.evaluate(async () => (await fetch('/v1/accounts')).status);
    assert.equal(denied, 403);
    await shot('operator');
  });
});

test('a callback without this browser\'s sign-in state is refused', async (t) => {
  await withSso(t, async ({ demo, page }) => {
    await page.goto(`${demo.url}/auth/callback?code=stolen&state=invented`);
    await page.locator('[data-code=LOGIN_EXPIRED]').waitFor();
    assert.equal(new URL(page.url()).searchParams.get('sso_error'), 'LOGIN_EXPIRED');
  });
});

test('disabling the account ends its console session at the next request; it cannot sign in again', async (t) => {
  await withSso(t, async ({ demo, page }) => {
    await ssoSignIn(page, demo, 'bob');
    await page.locator('.who').waitFor();
    assert.equal(await page.evaluate(async () => (await (await fetch('/v1/me')).json()).id), 'bob');
    const off = await apiCall(demo, demo.tokens.operator, 'PUT', '/v1/accounts/bob', { status: 'disabled' });
    assert.equal(off.status, 200);
    // The session is read from the store on every request: refused at once, on any server.
    const status = await page.evaluate(async () => (await fetch('/v1/me')).status);
    assert.equal(status, 401);
    const session = await page.evaluate(async () => (await fetch('/auth/session')).json());
    assert.equal(session.signed_in, false);
    await ssoSignIn(page, demo, 'bob');
    const alert = page.locator('[data-code=ACCOUNT_DISABLED]');
    await alert.waitFor();
    assert.match(await alert.textContent(), /已停用/);
    const events = await apiCall(demo, demo.tokens.operator, 'GET', '/v1/events?limit=500');
    const denied = events.body.items.filter((e) => e.type === 'auth.denied' && e.data.route === 'GET /v1/me');
    assert.ok(denied.length >= 1, 'the refused request was audited');
  });
});
