// The operators' review queue (server-side order and filters, age, conflicts, bulk review), the
// dashboard's charts, the header search, a number's "used by" view with revoke, batch apply and
// CSV export. Each against a real `beian demo` and Chromium.
import assert from 'node:assert/strict';
import { apiCall, scenario, signIn } from './helpers.mjs';

/** An available number of `who` (applies for one when it has none). */
async function availableNumbers(demo, who, n) {
  const got = (await apiCall(demo, demo.tokens[who], 'GET', '/v1/service-numbers?state=available&limit=500')).body.items
    .filter((x) => x.usable !== false && x.account_id === who);
  if (got.length >= n) return got.slice(0, n).map((x) => x.code);
  const products = (await apiCall(demo, demo.tokens[who], 'GET', '/v1/products?can_apply=true&limit=500')).body.items;
  for (const p of products) {
    while (got.length < n) {
      const r = await apiCall(demo, demo.tokens[who], 'POST', `/v1/products/${p.id}/service-numbers`, {});
      if (r.status !== 201) break;
      got.push(r.body);
    }
  }
  assert.ok(got.length >= n, `${who} has ${got.length} numbers, wanted ${n}`);
  return got.slice(0, n).map((x) => x.code);
}

async function file(demo, who, domain, code) {
  const r = await apiCall(demo, demo.tokens[who], 'POST', '/v1/filings', { domain, service_number: code });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

/**
 * A queue: alice's q1, q2, q3 (in that order) and carol's filing of q2's domain with a number
 * alice granted her (a conflict: another account, the same domain).
 */
async function queue(demo) {
  const a = await availableNumbers(demo, 'alice', 4);
  const b = a[3];
  assert.equal((await apiCall(demo, demo.tokens.alice, 'POST', `/v1/service-numbers/${b}/grants`, { account_id: 'carol' })).status, 200);
  const ids = {};
  ids.q1 = await file(demo, 'alice', 'queue-1.cn', a[0]);
  ids.q2 = await file(demo, 'alice', 'queue-2.cn', a[1]);
  ids.q3 = await file(demo, 'alice', 'queue-3.cn', a[2]);
  ids.carol = await file(demo, 'carol', 'queue-2.cn', b);
  return ids;
}

scenario('the review queue is read oldest first from the API, filtered there, with age and conflicts', {},
  async ({ demo, page }) => {
    const ids = await queue(demo);
    const asked = [];
    page.on('request', (r) => { if (new URL(r.url()).pathname === '/v1/filings') asked.push(new URL(r.url()).search); });
    await signIn(page, demo, demo.tokens.operator);
    await page.goto(`${demo.url}/#/ops/review`);
    const rows = page.locator('table.review-queue tbody tr');
    await rows.first().waitFor();
    const order = await rows.evaluateAll((els) => els.map((e) => e.dataset.id));
    // The API's order (by submission time, then id): the page shows it as is, oldest first.
    const api = (await apiCall(demo, demo.tokens.operator, 'GET', '/v1/filings?state=in_review&order=asc&limit=500')).body.items;
    assert.deepEqual(order, api.map((f) => f.id));
    assert.deepEqual([...api.map((f) => f.submitted_at)].sort(), api.map((f) => f.submitted_at));
    assert.deepEqual(new Set(order), new Set(Object.values(ids)));
    assert.ok(asked.some((q) => /state=in_review/.test(q) && /order=asc/.test(q)), asked.join(' '));
    // The two filings of queue-2.cn flag each other; q1 does not.
    for (const id of [ids.q2, ids.carol]) {
      const row = page.locator(`tr[data-id="${id}"]`);
      assert.equal(await row.getAttribute('data-conflict'), 'true');
      await row.getByText('同域名冲突').waitFor();
    }
    assert.equal(await page.locator(`tr[data-id="${ids.q1}"]`).getAttribute('data-conflict'), null);
    assert.match(await page.locator(`tr[data-id="${ids.q1}"] .age`).innerText(), /分钟|小时|天/);
    // Filter by account: the API answers (no client-side filtering).
    await page.getByLabel('提交账号').fill('carol');
    await page.getByRole('button', { name: '筛选', exact: true }).click();
    await page.waitForFunction(() => location.hash.includes('account_id=carol'));
    await page.locator(`tr[data-id="${ids.carol}"]`).waitFor();
    assert.equal(await page.locator(`tr[data-id="${ids.q1}"]`).count(), 0);
    assert.ok(asked.some((q) => /account_id=carol/.test(q) && /order=asc/.test(q)));
    // Older than a day: none of these.
    await page.getByLabel('等待时间').selectOption('86400');
    await page.getByRole('button', { name: '筛选', exact: true }).click();
    await page.locator('.empty').getByText('没有待审核的备案').waitFor();
    assert.ok(asked.some((q) => /older_than=86400/.test(q)));
    // All filings: newest first from the server.
    await page.goto(`${demo.url}/#/ops/review?all=1`);
    await page.locator(`tr[data-id="${ids.carol}"]`).waitFor();
    assert.ok(asked.some((q) => /order=desc/.test(q) && !/state=/.test(q)));
    const all = await page.locator('tbody tr').evaluateAll((els) => els.map((e) => e.dataset.id));
    // The page keeps the server's order (filings of one second tie on time: ids break the tie).
    const newest = (await apiCall(demo, demo.tokens.operator, 'GET', '/v1/filings?order=desc&limit=500')).body.items;
    const times = newest.map((f) => f.submitted_at);
    assert.deepEqual(times, [...times].sort().reverse(), 'the API answers newest first');
    const desc = newest.map((f) => f.id).filter((id) => all.includes(id));
    assert.ok(desc.includes(ids.carol) && desc.includes(ids.q1));
    assert.deepEqual(all.filter((id) => desc.includes(id)), desc, 'newest first, as the API');
  });

scenario('bulk approve and reject: confirmed, sent once, reason required, each result shown', {},
  async ({ demo, page }) => {
    const ids = await queue(demo);
    let posts = 0;
    await page.route((u) => u.pathname === '/v1/filings/review', async (route) => {
      posts += 1;
      await new Promise((r) => setTimeout(r, 300)); // long enough for a second click to land
      await route.continue();
    });
    await signIn(page, demo, demo.tokens.operator);
    await page.goto(`${demo.url}/#/ops/review`);
    await page.locator(`tr[data-id="${ids.q1}"]`).waitFor();
    const bulkApprove = page.getByRole('button', { name: '批量通过' });
    assert.equal(await bulkApprove.isDisabled(), true);
    await page.locator(`tr[data-id="${ids.q1}"] input.review-pick`).check();
    await page.locator(`tr[data-id="${ids.q2}"] input.review-pick`).check();
    await page.locator('.sel-count').getByText('已选 2 个').waitFor();
    await bulkApprove.click();
    const dlg = page.locator('dialog[open]');
    await dlg.getByText('通过以下 2 个备案').waitFor();
    const ok = dlg.getByRole('button', { name: '通过 2 个' });
    await ok.click();
    await ok.click({ force: true, timeout: 1000 }).catch(() => {});
    await dlg.waitFor({ state: 'detached' });
    assert.equal(posts, 1);
    const results = page.locator('.bulk-results');
    await results.getByText('已通过 2 个，共 2 个').waitFor();
    assert.equal(await results.locator('li[data-ok="true"]').count(), 2);
    for (const id of [ids.q1, ids.q2]) {
      assert.equal((await apiCall(demo, demo.tokens.operator, 'GET', `/v1/filings/${id}`)).body.state, 'approved');
    }
    // Carol's filing of queue-2.cn fails (alice's is approved now), q3 is approved: one result each.
    await page.locator(`tr[data-id="${ids.q1}"]`).waitFor({ state: 'detached' });
    await page.getByLabel('全选本页显示的备案').check();
    await page.getByRole('button', { name: '批量通过' }).click();
    await page.locator('dialog[open]').getByRole('button', { name: /^通过 \d+ 个$/ }).click();
    await results.getByText(/已通过 \d+ 个，共 \d+ 个/).waitFor();
    const failed = results.locator(`li[data-id="${ids.carol}"]`);
    assert.equal(await failed.getAttribute('data-ok'), 'false');
    assert.notEqual((await failed.innerText()).trim(), '');
    // Reject needs a reason that is not blank.
    const rest = (await apiCall(demo, demo.tokens.operator, 'GET', '/v1/filings?state=in_review&limit=500')).body.items;
    assert.ok(rest.some((f) => f.id === ids.carol));
    await page.getByLabel('选择 queue-2.cn').check();
    await page.getByRole('button', { name: '批量驳回' }).click();
    await page.locator('dialog[open] textarea').fill('   ');
    await page.locator('dialog[open]').getByRole('button', { name: '驳回 1 个' }).click();
    await page.locator('dialog[open] .dialog-error').getByText('请填写驳回原因').waitFor();
    await page.locator('dialog[open] textarea').fill('与已备案域名重复');
    await page.locator('dialog[open]').getByRole('button', { name: '驳回 1 个' }).click();
    await results.getByText('已驳回 1 个，共 1 个').waitFor();
    const bob = (await apiCall(demo, demo.tokens.operator, 'GET', `/v1/filings/${ids.carol}`)).body;
    assert.equal(bob.state, 'rejected');
    assert.equal(bob.reason, '与已备案域名重复');
  });

scenario('the dashboard draws the stats as charts with text alternatives, in both languages', {},
  async ({ demo, page }) => {
    await queue(demo);
    const asked = [];
    page.on('request', (r) => { if (new URL(r.url()).pathname === '/v1/stats') asked.push(new URL(r.url()).search); });
    await signIn(page, demo, demo.tokens.operator);
    await page.getByRole('link', { name: '运营看板' }).click();
    await page.locator('section[data-chart="issued"] svg').waitFor();
    const stats = (await apiCall(demo, demo.tokens.operator, 'GET', '/v1/stats')).body;
    assert.equal(await page.locator('[data-figure="size"] dd').innerText(), String(stats.series.review_queue.size));
    const total = stats.series.numbers_issued.reduce((a, r) => a + r.n, 0);
    assert.ok(total > 0);
    const issued = page.locator('section[data-chart="issued"]');
    assert.match(await issued.locator('svg').getAttribute('aria-label'), new RegExp(`共发放 ${total} 个服务号`));
    assert.ok(await issued.locator('svg rect').count() > 0);
    for (const c of ['issued', 'filings', 'quota', 'reasons']) {
      const svg = page.locator(`section[data-chart="${c}"] svg[role="img"]`);
      assert.ok((await svg.getAttribute('aria-label')).length > 3, c);
    }
    // The data table opens and holds one row per bucket.
    await issued.getByText('显示数据表').click();
    assert.equal(await issued.locator('tbody tr').count(), stats.series.numbers_issued.length);
    // 7 days by hour: asked of the API.
    await page.getByLabel('时间范围').selectOption('7');
    await page.waitForFunction(() => location.hash.includes('days=7'));
    await page.getByLabel('统计粒度').selectOption('hour');
    await page.locator('section[data-chart="issued"] svg').waitFor();
    await page.waitForFunction(() => location.hash.includes('bucket=hour'));
    await page.waitForFunction(() => document.querySelectorAll('section[data-chart="issued"] tbody tr').length >= 24 * 6);
    assert.ok(asked.some((q) => /bucket=hour/.test(q) && /from=\d{4}-\d{2}-\d{2}/.test(q)), asked.join(' '));
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    assert.match(await page.locator('section[data-chart="issued"] svg').getAttribute('aria-label'), /numbers issued/);
  });

scenario('the header search finds a number and a filing, links to them, and says when nothing is found', {},
  async ({ demo, page }) => {
    const [code] = await availableNumbers(demo, 'alice', 1);
    await signIn(page, demo, demo.tokens.alice);
    await page.getByRole('button', { name: '搜索' }).click();
    const dlg = page.locator('dialog[open]');
    await dlg.getByLabel(/服务号、产品 ID/).fill(code.toLowerCase());
    await page.keyboard.press('Enter');
    const hit = dlg.locator(`li.hit[data-type="number"][data-id="${code}"] a`);
    await hit.waitFor();
    await hit.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((c) => location.hash.startsWith('#/numbers') && location.hash.includes(c), code);
    await page.locator(`tr.hl[data-code="${code}"]`).waitFor();
    assert.equal(await page.locator('dialog[open]').count(), 0);
    // Nothing found.
    await page.getByRole('button', { name: '搜索' }).click();
    await page.locator('dialog[open] input').fill('nothing-like-this.cn');
    await page.keyboard.press('Enter');
    await page.locator('dialog[open] .search-empty').getByText('没有找到').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('dialog[open]').waitFor({ state: 'detached' });
  });

scenario('phone: the header with its search button stays compact', { width: 390, height: 844 },
  async ({ demo, page }) => {
    await signIn(page, demo, demo.tokens.operator);
    const box = await page.locator('header.topbar').boundingBox();
    assert.ok(box.height <= 110, `header ${box.height}px`);
    await page.getByRole('button', { name: '搜索' }).click();
    await page.locator('dialog[open] input').fill('alice');
    await page.keyboard.press('Enter');
    await page.locator('dialog[open] li.hit[data-type="account"]').waitFor();
  });

scenario('phone, English: every category label of the dashboard fits inside its chart', { width: 390, height: 844 },
  async ({ demo, page }) => {
    await page.goto(`${demo.url}/`);
    await page.evaluate(() => localStorage.setItem('beian.lang', 'en'));
    await signIn(page, demo, demo.tokens.operator);
    await page.goto(`${demo.url}/#/ops/dashboard`);
    await page.locator('section[data-chart="quota"] svg text.cat').first().waitFor();
    const outside = await page.evaluate(() => [...document.querySelectorAll('section[data-chart] svg text.cat')]
      .filter((el) => el.getBBox().x < 0).map((el) => el.textContent));
    assert.deepEqual(outside, []);
    // A cut label ends with an ellipsis and keeps its whole text as a tooltip.
    const cut = await page.evaluate(() => [...document.querySelectorAll('section[data-chart] svg text.cat')]
      .filter((el) => el.querySelector('title')).map((el) => [el.firstChild.nodeValue, el.querySelector('title').textContent]));
    assert.ok(cut.length > 0, 'some English kind or reason is too long for a phone');
    for (const [shown, whole] of cut) assert.ok(shown.endsWith('…') && whole.startsWith(shown.slice(0, -1)), `${shown} / ${whole}`);
  });

scenario('the owner sees who uses a number and revokes a grant while it is available', {},
  async ({ demo, page }) => {
    const [code] = await availableNumbers(demo, 'alice', 1);
    assert.equal((await apiCall(demo, demo.tokens.alice, 'POST', `/v1/service-numbers/${code}/grants`, { account_id: 'carol' })).status, 200);
    await signIn(page, demo, demo.tokens.alice);
    await page.goto(`${demo.url}/#/numbers`);
    await page.getByRole('button', { name: `${code} 的使用情况` }).click();
    const dlg = page.locator('dialog[open]');
    await dlg.locator('li[data-account="carol"]').waitFor();
    await dlg.getByRole('button', { name: '撤销授权：carol' }).click();
    const confirm = page.locator('dialog[open]').last();
    await confirm.getByText('账号 carol 不能再用服务号').waitFor();
    await confirm.getByRole('button', { name: '撤销授权' }).click();
    await dlg.getByText('已撤销 carol 的授权').waitFor();
    await dlg.getByText('没有授权给其他账号').waitFor();
    const g = (await apiCall(demo, demo.tokens.alice, 'GET', `/v1/service-numbers/${code}/grants`)).body;
    assert.deepEqual(g.grants, []);
  });

scenario('batch apply issues several numbers at once, or lists each refusal', { allowHttp: ['409 /v1/service-numbers'] },
  async ({ demo, page }) => {
    await signIn(page, demo, demo.tokens.alice);
    await page.locator('article.product').first().waitFor();
    const before = (await apiCall(demo, demo.tokens.alice, 'GET', '/v1/service-numbers?limit=500')).body.items.length;
    await page.getByRole('button', { name: '批量申请服务号' }).click();
    const dlg = page.locator('dialog[open]');
    const inputs = dlg.locator('input.batch-count');
    const roomy = await inputs.evaluateAll((els) => els.findIndex((e) => Number(e.max) >= 2));
    assert.ok(roomy >= 0, 'a product with room for 2 numbers');
    await inputs.nth(roomy).fill('2');
    await dlg.getByText('合计 2 个').waitFor();
    let keys = [];
    page.on('request', (r) => { if (new URL(r.url()).pathname === '/v1/service-numbers' && r.method() === 'POST') keys.push(r.headers()['idempotency-key']); });
    await dlg.getByRole('button', { name: '申请', exact: true }).click();
    const done = page.locator('dialog[open]');
    await done.getByText('已签发 2 个服务号').waitFor();
    assert.equal(await done.locator('.issued-list li').count(), 2);
    assert.equal(keys.length, 1);
    assert.ok(keys[0]);
    const after = (await apiCall(demo, demo.tokens.alice, 'GET', '/v1/service-numbers?limit=500')).body.items.length;
    assert.equal(after, before + 2);
    await done.getByRole('button', { name: '关闭' }).click();
    // More than the quota left: nothing issued, the product's refusal listed.
    await page.getByRole('button', { name: '批量申请服务号' }).click();
    const d2 = page.locator('dialog[open]');
    const first = d2.locator('input.batch-count').first();
    await first.evaluate((el) => { el.removeAttribute('max'); });
    await first.fill('20');
    keys = [];
    await d2.getByRole('button', { name: '申请', exact: true }).click();
    await d2.locator('.batch-refused-items li').first().waitFor();
    assert.equal((await apiCall(demo, demo.tokens.alice, 'GET', '/v1/service-numbers?limit=500')).body.items.length, after);
    await d2.getByRole('button', { name: '取消' }).click();
  });

scenario('CSV export pages through X-Next-Page-Token / X-Next-After with one header row', {},
  async ({ demo, page }) => {
    await queue(demo);
    await signIn(page, demo, demo.tokens.operator);
    const check = async (path) => page.evaluate(async (p) => {
      const { readCsv } = await import('/csv.js');
      return [await readCsv(p, {}, 3), await readCsv(p, {}, 500)];
    }, path);
    for (const p of ['/v1/filings', '/v1/events', '/v1/service-numbers']) {
      const [small, big] = await check(p);
      const lines = small.trim().split(/\r?\n/);
      assert.ok(lines.length > 4, `${p}: ${lines.length} lines`);
      assert.equal(lines.filter((l) => l === lines[0]).length, 1, `${p}: header once`);
      assert.equal(small.trim(), big.trim(), p);
    }
    // The button downloads a file.
    await page.goto(`${demo.url}/#/ops/review?all=1`);
    await page.locator('tbody tr').first().waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 CSV' }).click()]);
    assert.match(download.suggestedFilename(), /^filings-\d{8}\.csv$/);
  });
