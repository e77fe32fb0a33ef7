// The webhooks page against a real `beian demo` (loopback allowed for webhooks, a short retry
// schedule) and a Node receiver on 127.0.0.1: create with an event-type filter, the secret shown
// once, a signed message arrives and shows as delivered, rotate (two signatures for a day), replay
// with the same message id, disable; the operators' page; a 390 px phone.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { apiCall, assertLabelled, assertNoSideScroll, scenario, signIn } from './helpers.mjs';

/** A receiver on 127.0.0.1 that records every request and answers 200. */
async function receiver() {
  const got = [];
  const waiters = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      got.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('thanks');
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  /** Resolves with the first message (after `from`) for which `pred` holds; fails after 20 s. */
  const waitFor = async (pred, from = 0, what = 'message') => {
    const deadline = Date.now() + 20000;
    for (;;) {
      const m = got.slice(from).find(pred);
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`no ${what} arrived; got ${got.map((x) => x.body).join('\n')}`);
      await new Promise((r) => { waiters.push(r); setTimeout(r, 500); });
    }
  };
  return {
    url: `http://127.0.0.1:${server.address().port}/hook`,
    got,
    waitFor,
    close: () => new Promise((r) => server.close(r)),
  };
}

/** The Standard Webhooks v1 signature of a received message with `secret` (node crypto). */
function sign(secret, m) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const content = `${m.headers['webhook-id']}.${m.headers['webhook-timestamp']}.${m.body}`;
  return `v1,${crypto.createHmac('sha256', key).update(content).digest('base64')}`;
}

/** Issues one number to alice (event number.issued). */
async function issueNumber(demo) {
  const products = (await apiCall(demo, demo.tokens.alice, 'GET', '/v1/products?can_apply=true&limit=500')).body.items;
  for (const p of products) {
    const r = await apiCall(demo, demo.tokens.alice, 'POST', `/v1/products/${p.id}/service-numbers`, {});
    if (r.status === 201) return r.body;
  }
  throw new Error('alice could not apply for any number');
}

/** Reads the secret of the open "shown once" dialog and closes it. */
async function takeSecret(page) {
  const dlg = page.locator('dialog[open]');
  const secret = (await dlg.getByTestId('new-secret').innerText()).trim();
  assert.match(secret, /^whsec_[A-Za-z0-9+/]{32}$/);
  await dlg.getByRole('button', { name: '关闭' }).click();
  await dlg.waitFor({ state: 'detached' });
  return secret;
}

/** Clicks the deliveries' Refresh until `selector` shows (deliveries are sent in the background). */
async function refreshUntil(page, selector) {
  const deadline = Date.now() + 20000;
  while (!(await page.locator(selector).count())) {
    assert.ok(Date.now() < deadline, `${selector} never appeared`);
    await page.locator('.list-refresh').click();
    await page.waitForFunction(() => !document.querySelector('.list-region[aria-busy=true]'));
  }
}

const DEMO_ARGS = ['--webhook-allowed-private', '127.0.0.0/8', '--webhook-retry-schedule', '0s,1s,1s'];

scenario('a customer creates a webhook, sees the secret once, gets signed messages, rotates, replays and disables',
  { demoArgs: DEMO_ARGS }, async ({ demo, page }) => {
    const rx = await receiver();
    try {
      await signIn(page, demo, demo.tokens.alice);
      await page.getByRole('navigation').getByRole('link', { name: 'Webhook' }).click();
      await page.getByRole('heading', { level: 1, name: 'Webhook' }).waitFor();
      await assertLabelled(page, 'webhooks');
      // Create: only number.issued.
      await page.getByLabel('接收地址').fill(rx.url);
      await page.getByLabel('说明').fill('e2e receiver');
      await page.getByLabel(/number\.issued/).check();
      await page.getByRole('button', { name: '创建 Webhook' }).click();
      const secret = await takeSecret(page);
      // Shown once: neither the page nor the API shows it again.
      assert.ok(!(await page.content()).includes(secret));
      const listed = (await apiCall(demo, demo.tokens.alice, 'GET', '/v1/webhooks')).body.items;
      assert.equal(listed.length, 1);
      assert.ok(!JSON.stringify(listed).includes(secret));
      const id = listed[0].id;
      assert.deepEqual(listed[0].event_types, ['number.issued']);
      const row = page.locator(`table.webhooks tr[data-id="${id}"]`);
      await row.getByText(rx.url).waitFor();
      await row.getByText('启用').waitFor();

      // An event of another type is filtered out; number.issued arrives, signed with the secret.
      assert.equal((await apiCall(demo, demo.tokens.alice, 'POST', '/v1/tokens', { name: 'x', scopes: ['events:read'] })).status, 201);
      const number = await issueNumber(demo);
      const first = await rx.waitFor((m) => JSON.parse(m.body).type === 'number.issued');
      assert.equal(first.method, 'POST');
      assert.equal(first.headers['content-type'], 'application/json');
      assert.equal(first.headers['webhook-signature'], sign(secret, first));
      assert.ok(Math.abs(Number(first.headers['webhook-timestamp']) - Date.now() / 1000) < 60);
      const payload = JSON.parse(first.body);
      assert.equal(payload.data.subject, number.code);
      assert.ok(rx.got.every((m) => JSON.parse(m.body).type === 'number.issued'), 'only subscribed types');

      // The webhook's page shows the delivered attempt with its status.
      await row.getByRole('link', { name: rx.url }).click();
      await page.getByRole('heading', { level: 1, name: 'e2e receiver' }).waitFor();
      await refreshUntil(page, 'table.deliveries tr[data-outcome="delivered"]');
      const delivered = page.locator('table.deliveries tr[data-outcome="delivered"]').first();
      await delivered.getByText('已送达').waitFor();
      await delivered.getByText('200', { exact: true }).waitFor();
      await delivered.getByText('number.issued').waitFor();
      await assertLabelled(page, 'webhook page');

      // Rotate: a new secret, shown once; messages carry both signatures meanwhile.
      await page.getByRole('button', { name: '轮换密钥: e2e receiver' }).click();
      await page.locator('dialog[open]').getByRole('button', { name: '轮换密钥' }).click();
      await page.locator('dialog[open]').getByText('新的签名密钥').waitFor();
      const secret2 = await takeSecret(page);
      assert.notEqual(secret2, secret);
      await page.getByText('旧密钥继续签名至').waitFor();
      const before = rx.got.length;
      await issueNumber(demo);
      const second = await rx.waitFor((m) => JSON.parse(m.body).type === 'number.issued', before, 'message after rotate');
      const sigs = second.headers['webhook-signature'].split(' ');
      assert.equal(sigs.length, 2);
      assert.ok(sigs.includes(sign(secret2, second)), 'signed with the new secret');
      assert.ok(sigs.includes(sign(secret, second)), 'and with the previous one');

      // Replay the first event: the same message id arrives again.
      const seq = payload.data.seq;
      await page.locator(`table.deliveries tr[data-seq="${seq}"] input.wh-pick`).first().check();
      await page.getByText('已选 1 个事件').waitFor();
      const beforeReplay = rx.got.length;
      await page.getByRole('button', { name: '重放所选事件' }).click();
      await page.locator('dialog[open]').getByRole('button', { name: '重放' }).click();
      await page.getByText('已加入 1 条消息等待投递。').waitFor();
      const again = await rx.waitFor((m) => m.headers['webhook-id'] === first.headers['webhook-id'], beforeReplay, 'replayed message');
      assert.equal(JSON.parse(again.body).data.seq, seq);
      assert.equal(again.body, first.body);

      // Disable.
      await page.getByRole('button', { name: '停用: e2e receiver' }).click();
      await page.locator('dialog[open]').getByRole('button', { name: '停用' }).click();
      await page.getByText('Webhook“e2e receiver”已停用。').waitFor();
      await page.locator('.wh-facts').getByText('已停用（手动停用）').waitFor();
      const off = (await apiCall(demo, demo.tokens.alice, 'GET', `/v1/webhooks/${id}`)).body;
      assert.equal(off.state, 'disabled');
      assert.equal(off.disabled_reason, 'manual');
      await page.getByRole('button', { name: '启用: e2e receiver' }).waitFor();

      // A phone: nothing runs off the side, on the webhook's page and the list.
      await page.setViewportSize({ width: 390, height: 844 });
      await assertNoSideScroll(page, 'webhook page at 390 px');
      await page.getByRole('link', { name: '← 全部 Webhook' }).click();
      await page.locator(`table.webhooks tr[data-id="${id}"]`).waitFor();
      await assertNoSideScroll(page, 'webhooks at 390 px');
      // Another account's webhook is not found.
      assert.equal((await apiCall(demo, demo.tokens.bob, 'GET', `/v1/webhooks/${id}`)).status, 404);
    } finally {
      await rx.close();
    }
  });

scenario('an admin operator manages operator webhooks, in English; a bad URL is refused in the form',
  { demoArgs: DEMO_ARGS, allowHttp: ['400 /v1/webhooks'] }, async ({ demo, page }) => {
    await page.goto(`${demo.url}/`);
    await page.evaluate(() => localStorage.setItem('beian.lang', 'en'));
    await signIn(page, demo, demo.tokens.operator);
    await page.getByRole('navigation').getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { level: 1, name: 'Operator webhooks' }).waitFor();
    await page.getByText('No webhooks yet.').waitFor();
    await page.getByLabel('Endpoint URL').fill('ftp://127.0.0.1/x');
    // The browser's own check accepts ftp: as a URL; the server refuses it with a field error.
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await page.locator('.alert-error[data-code="INVALID_REQUEST"]').waitFor();
    await page.getByLabel('Endpoint URL').fill('http://127.0.0.1:9/ops');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await page.locator('dialog[open]').getByText('Webhook created').waitFor();
    await page.locator('dialog[open]').getByRole('button', { name: 'Close' }).click();
    const row = page.locator('table.webhooks tbody tr');
    await row.getByText('http://127.0.0.1:9/ops').waitFor();
    await row.getByText('all events').waitFor();
  });
