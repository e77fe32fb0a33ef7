// axe-core on every page of the console: both roles (alice, the operator), both languages, at one
// size (axe_desktop.test.mjs: 1280×800, axe_phone.test.mjs: 390×844; two files so that
// make browser-test runs them side by side), plus the sign-in page and the main dialogs. Any
// violation fails; no rule is turned off. One server per size; the two languages are checked at
// once, each in a browser of its own (the language is in localStorage, which one browser profile
// shares between its tabs).
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { openBrowser, startDemo } from './helpers.mjs';

const PAGES = {
  alice: ['products', 'numbers', 'filings', 'events', 'tokens', 'webhooks', 'help'],
  operator: ['ops/products', 'ops/products?account_id=alice', 'ops/review', 'ops/review?all=1', 'ops/events',
    'ops/accounts', 'ops/webhooks', 'ops/dashboard', 'ops/dashboard?days=7&bucket=hour', 'tokens', 'help'],
};

function describe(violations) {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 5)
    .map((n) => `    ${n.target.join(' ')} — ${n.failureSummary.replace(/\s+/g, ' ')}`).join('\n')}`).join('\n');
}

// Checks every page, role and language at `size`: [name, width, height].
export async function axeSweep(t, size) {
  const pages = { alice: [...PAGES.alice], operator: [...PAGES.operator] };
  const demo = await startDemo();
  // Some state so that every kind of row and badge is drawn: a filing in review, one approved, one
  // rejected; a granted number.
  const call = async (who, method, p, body) => {
    const r = await fetch(demo.url + p, { method, body: body && JSON.stringify(body),
      headers: { Authorization: `Bearer ${demo.tokens[who]}`, 'Content-Type': 'application/json' } });
    return r.json();
  };
  const avail = (await call('alice', 'GET', '/v1/service-numbers?state=available&product_id=ecs-quota-4')).items;
  const ids = [];
  for (const [i, d] of ['axe-1.cn', 'axe-2.cn', 'axe-3.cn'].entries()) {
    ids.push((await call('alice', 'POST', '/v1/filings', { domain: d, service_number: avail[i].code })).id);
  }
  await call('operator', 'POST', `/v1/filings/${ids[1]}/approve`);
  await call('operator', 'POST', `/v1/filings/${ids[2]}/reject`, { reason: '内容不符' });
  await call('alice', 'POST', `/v1/service-numbers/${avail[3].code}/grants`, { account_id: 'carol' });
  // A conflict in the queue: carol files axe-1.cn too, with a number alice granted her.
  const spare = (await call('alice', 'GET', '/v1/service-numbers?state=available')).items
    .find((n) => n.usable !== false && n.account_id === 'alice' && !avail.slice(0, 4).some((a) => a.code === n.code));
  await call('alice', 'POST', `/v1/service-numbers/${spare.code}/grants`, { account_id: 'carol' });
  await call('carol', 'POST', '/v1/filings', { domain: 'axe-1.cn', service_number: spare.code });
  // A webhook of alice (its deliveries fail: no such host), listed and with its own page.
  const hook = await call('alice', 'POST', '/v1/webhooks',
    { url: 'https://axe.invalid/hook', description: 'axe', event_types: ['number.issued'] });
  pages.alice.splice(pages.alice.indexOf('webhooks') + 1, 0, `webhooks?id=${hook.id}`);

  const state = { ids, avail, pages, size };
  try {
    const results = await Promise.all(['zh-CN', 'en'].map((lang) => sweep(t, demo, lang, state)));
    const failures = results.flatMap((r) => r.failures);
    assert.equal(failures.length, 0, failures.join('\n\n'));
    assert.deepEqual(results.flatMap((r) => r.errors), []);
  } finally {
    await demo.stop();
  }
}

// Every page and dialog at one size in one language, in a browser of its own: {failures, errors}.
async function sweep(t, demo, lang, { ids, avail, pages, size: [size, width, height] }) {
  const b = await openBrowser(t, demo, { width: 1280, height: 800 });
  const failures = [];
  const check = async (where) => {
    const result = await new AxeBuilder({ page: b.page }).analyze();
    if (result.violations.length) failures.push(`${where}:\n${describe(result.violations)}`);
  };
  try {
    {
      await b.page.setViewportSize({ width, height });
      {
        await b.page.goto(`${demo.url}/`);
        await b.page.evaluate((l) => { sessionStorage.clear(); localStorage.setItem('beian.lang', l); }, lang);
        await b.page.reload();
        await b.page.locator('input[name=token]').waitFor();
        await check(`sign-in ${lang} ${size}`);
        for (const who of ['alice', 'operator']) {
          await b.page.evaluate((tok) => sessionStorage.setItem('beian.token', tok), demo.tokens[who]);
          await b.page.goto(`${demo.url}/`); // a fresh load: the console learns who the token is
          await b.page.reload();
          await b.page.locator('main h1').waitFor();
          for (const p of pages[who]) {
            await b.page.goto(`${demo.url}/#/${p}`);
            await b.page.reload();
            await b.page.locator('main h1').waitFor();
            await b.page.waitForFunction(() => !document.querySelector('[aria-busy=true]')
              && !/加载中|Loading/.test(document.querySelector('main')?.innerText || ''));
            await check(`${who} ${p} ${lang} ${size}`);
          }
          // A dialog of each role.
          if (who === 'alice') {
            await b.page.goto(`${demo.url}/#/products`);
            await b.page.reload();
            await b.page.locator('article.product[data-id="ecs-web-1"] button').click();
          } else {
            await b.page.goto(`${demo.url}/#/ops/review`);
            await b.page.reload();
            await b.page.locator(`tr[data-id="${ids[0]}"] button.btn-danger-outline`).click();
          }
          await b.page.locator('dialog[open]').waitFor();
          await check(`${who} dialog ${lang} ${size}`);
          await b.page.keyboard.press('Escape');
          // The new dialogs: search (with results), bulk reject / batch apply, used by.
          await b.page.locator('dialog[open]').waitFor({ state: 'detached' });
          await b.page.locator('button.search-open').click();
          await b.page.locator('dialog[open] input').fill(who === 'alice' ? avail[3].code : 'axe-1.cn');
          await b.page.keyboard.press('Enter');
          await b.page.locator('dialog[open] li.hit').first().waitFor();
          await check(`${who} search dialog ${lang} ${size}`);
          await b.page.keyboard.press('Escape');
          await b.page.locator('dialog[open]').waitFor({ state: 'detached' });
          if (who === 'alice') {
            await b.page.locator('button.batch-open').click();
            await b.page.locator('dialog[open] input.batch-count').first().waitFor();
            await check(`alice batch dialog ${lang} ${size}`);
            await b.page.keyboard.press('Escape');
            await b.page.goto(`${demo.url}/#/numbers`);
            await b.page.locator(`tr[data-code="${avail[3].code}"] button.used-by-open`).click();
            await b.page.locator('dialog[open] li[data-account="carol"]').waitFor();
          } else {
            await b.page.locator(`tr[data-id="${ids[0]}"] input.review-pick`).check();
            await b.page.locator('.bulk-bar .btn-danger-outline').click();
            await b.page.locator('dialog[open] textarea').waitFor();
          }
          await check(`${who} second dialog ${lang} ${size}`);
          await b.page.keyboard.press('Escape');
          await b.page.evaluate(() => sessionStorage.clear());
        }
      }
    }
    return { failures, errors: b.errors };
  } finally {
    await b.close();
  }
}
