// 申请备案服务号: the account's products, why each can or cannot get a number, and Apply.
import { api, newIdempotencyKey } from '../api.js';
import { has, t } from '../i18n.js';
import { pagedList, tokenPages } from '../list.js';
import { noticeBanner } from './notices.js';
import { badge, copyButton, dialog, errorBox, field, h, mount, reasonList, refocus, time } from '../ui.js';

export const KINDS = ['ecs', 'swas', 'vhost', 'shared_host', 'web_hosting', 'marketplace_site',
  'nat_gateway', 'ens', 'cxt_shop'];

const STATUS_TONE = { running: 'ok', stopped: 'muted', expired: 'error', released: 'muted' };

function quotaView(q) {
  if (!q || !q.limit) return h('span', { class: 'muted' }, '—');
  const pct = Math.min(100, Math.round((q.used / q.limit) * 100));
  const bar = h('span', { class: 'meter-bar' });
  bar.style.width = `${pct}%`; // CSSOM, allowed by the server's style-src 'self' policy
  return h('span', { class: 'quota' },
    h('span', { class: 'quota-text' }, t('products.quotaValue', { used: q.used, limit: q.limit }),
      q.scope === 'account' ? t('products.quotaAccount') : ''),
    h('span', {
      class: `meter${q.used >= q.limit ? ' meter-full' : ''}`, role: 'meter', 'aria-valuemin': 0,
      'aria-valuemax': q.limit, 'aria-valuenow': q.used,
      'aria-label': t('products.quota'),
    }, bar));
}

function fact(label, value) {
  return h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, value));
}

/** One product card. `onApply` (customers only) shows the Apply button when it may apply. */
export function productCard(p, { onApply, showAccount = false } = {}) {
  const el = p.eligibility || {};
  const q = el.quota;
  const name = p.name || p.id;
  const action = el.can_apply
    ? (onApply ? h('button', {
      type: 'button', class: 'btn btn-primary', 'aria-label': `${t('products.apply')}: ${name}`,
      onclick: () => onApply(p),
    }, t('products.apply')) : badge(t('products.canApply'), 'ok'))
    : h('div', { class: 'why-not' }, h('p', { class: 'why-not-title' }, t('products.whyNot')),
      reasonList(el.reasons));
  return h('article', { class: 'card product', dataset: { id: p.id, kind: p.kind }, 'aria-label': name },
    h('div', { class: 'product-head' },
      h('div', {},
        h('h3', { class: 'product-name' }, name),
        p.name && p.name !== p.id ? h('code', { class: 'product-id' }, p.id) : null),
      badge(t(`status.${p.status}`), STATUS_TONE[p.status] || 'muted')),
    h('dl', { class: 'facts' },
      showAccount ? fact(t('products.account'), p.account_id) : null,
      fact(t('products.region'), has(`region.${p.region}`)
        ? [t(`region.${p.region}`), h('code', { class: 'block muted small' }, p.region)] : p.region),
      fact(t('products.billing'), t(`billing.${p.billing}`)),
      fact(t('products.expires'), p.expires_at ? time(p.expires_at) : t('products.noExpiry')),
      fact(t('products.publicIp'), (p.public_ips || []).join(', ') || t('common.none')),
      fact(t('products.quota'), quotaView(q))),
    (el.hints || []).length ? h('ul', { class: 'hints' },
      el.hints.map((x) => h('li', { class: 'hint-item', dataset: { code: x.code } }, x.message || x.code))) : null,
    action ? h('div', { class: 'product-action' }, action) : null);
}

/** Product cards grouped by kind, in the policy's order. */
export function groupedProducts(items, opts) {
  const groups = KINDS.map((k) => [k, items.filter((p) => p.kind === k)])
    .concat([[null, items.filter((p) => !KINDS.includes(p.kind))]])
    .filter(([, list]) => list.length);
  return groups.map(([kind, list]) => h('section', { class: 'group', dataset: { kind: kind || 'other' } },
    h('h2', { class: 'group-title' }, kind ? t(`kind.${kind}`) : (list[0].kind_title || list[0].kind || '—'),
      h('span', { class: 'count' }, String(list.length))),
    h('div', { class: 'cards' }, list.map((p) => productCard(p, opts)))));
}

function adviceBox(advice) {
  const items = (advice || []).map((a) => (typeof a === 'string' ? { code: a } : a));
  if (!items.length) return null;
  return h('section', { class: 'alert alert-warn advice', 'aria-labelledby': 'advice-title' },
    h('h2', { id: 'advice-title', class: 'alert-title' }, t('overview.title')),
    h('ul', {}, items.map((a) => h('li', { dataset: { code: a.code } },
      h('span', { class: 'reason-msg' }, a.message || t(`overview.${a.code}`)),
      (a.remedy || t(`overview.${a.code}.remedy`) !== `overview.${a.code}.remedy`)
        ? h('span', { class: 'reason-remedy' }, t('error.remedy'), a.remedy || t(`overview.${a.code}.remedy`))
        : null))));
}

function summary(o) {
  if (!o || !o.numbers_by_state) return null;
  const products = Object.values(o.products_by_kind || {}).reduce((a, b) => a + b, 0);
  const stat = (label, value, href) => h('li', { class: 'stat' },
    h(href ? 'a' : 'span', { href, class: href ? 'stat-link' : 'stat-link stat-plain' },
      h('span', { class: 'stat-value' }, String(value)), h('span', { class: 'stat-label' }, label)));
  return h('ul', { class: 'stats', 'aria-label': t('overview.summary') },
    stat(t('overview.products'), products),
    ['available', 'in_review', 'filed', 'voided'].map((st) =>
      stat(t(`state.${st}`), o.numbers_by_state[st] || 0, `#/numbers?state=${st}`)));
}

async function apply(p, refresh, go) {
  const opener = document.activeElement;
  const key = newIdempotencyKey();
  const q = p.eligibility.quota || { used: 0, limit: 0 };
  let refused = false;
  const number = await dialog({
    title: t('apply.title'),
    body: t('apply.body', { name: p.name || p.id, next: q.used + 1, limit: q.limit }),
    confirmText: t('apply.confirm'),
    onConfirm: () => api('POST', `/v1/products/${encodeURIComponent(p.id)}/service-numbers`,
      { idempotencyKey: key }).catch((err) => { refused = true; throw err; }),
  });
  if (!number || !number.code) {
    if (refused) await refresh(); // the product changed since the page loaded: show why
    return;
  }
  await refresh();
  const toFiling = await dialog({
    title: t('apply.done'),
    body: h('div', { class: 'issued' },
      h('p', {}, t('apply.doneBody')),
      h('p', { class: 'issued-code' }, h('output', { class: 'sn' }, number.code), ' ',
        copyButton(number.code)),
      h('p', { class: 'muted' }, t('apply.next'))),
    cancelText: t('common.close'),
    confirmText: t('apply.toFiling'),
    onConfirm: async () => true,
  });
  if (toFiling) go('filings', { sn: number.code });
  else refocus(opener);
}

const BATCH_MAX = 20;

/**
 * Batch apply: a count for each product that may apply (at most 20 numbers in all), one
 * POST /v1/service-numbers with an Idempotency-Key per distinct request (a retry of the same
 * choice never issues twice). All numbers are issued or none: the refusals are listed per product.
 */
async function batchApply(products, refresh) {
  const can = products.filter((p) => p.eligibility && p.eligibility.can_apply);
  const opener = document.activeElement;
  if (!can.length) {
    await dialog({ title: t('batch.title'), body: t('batch.noneCan'), onConfirm: null, cancelText: t('common.close') });
    return;
  }
  const inputs = can.map((p) => {
    const q = p.eligibility.quota;
    const left = q && q.limit ? Math.max(0, q.limit - q.used) : BATCH_MAX;
    return h('input', { type: 'number', name: `count:${p.id}`, min: 0, max: Math.min(BATCH_MAX, left), value: 0, inputmode: 'numeric', class: 'batch-count', dataset: { id: p.id } });
  });
  const total = h('p', { class: 'muted batch-total', role: 'status' });
  const refusals = h('div', { class: 'batch-refusals' });
  const sum = () => inputs.reduce((a, i) => a + (Number(i.value) || 0), 0);
  const sync = () => { total.textContent = t('batch.total', { n: sum(), max: BATCH_MAX }); };
  for (const i of inputs) i.addEventListener('input', sync);
  sync();
  const keys = new Map(); // request body → idempotency key
  let refused = false;
  const result = await dialog({
    title: t('batch.title'),
    body: h('div', {}, h('p', {}, t('batch.body', { max: BATCH_MAX })), refusals),
    fields: [h('div', { class: 'batch-fields' }, can.map((p, i) => field(
      `${p.name || p.id} (${t(`kind.${p.kind}`)})`, inputs[i],
      p.eligibility.quota && p.eligibility.quota.limit ? t('products.quotaValue', p.eligibility.quota) : undefined))), total],
    confirmText: t('batch.confirm'),
    onConfirm: async () => {
      mount(refusals);
      const items = can.map((p, i) => ({ product_id: p.id, count: Math.floor(Number(inputs[i].value) || 0) })).filter((x) => x.count > 0);
      const n = items.reduce((a, x) => a + x.count, 0);
      if (!n) throw new Error(t('batch.noneChosen'));
      if (n > BATCH_MAX || items.some((x) => x.count < 0)) throw new Error(t('batch.tooMany', { max: BATCH_MAX }));
      const body = { items };
      const sig = JSON.stringify(body);
      if (!keys.has(sig)) keys.set(sig, newIdempotencyKey());
      try {
        return await api('POST', '/v1/service-numbers', { body, idempotencyKey: keys.get(sig) });
      } catch (err) {
        refused = true;
        const per = (err.problem && err.problem.items) || [];
        if (per.length) {
          mount(refusals, h('div', { class: 'alert alert-error', role: 'alert' },
            h('strong', { class: 'alert-title' }, t('batch.refused')),
            h('ul', { class: 'batch-refused-items' }, per.map((x) => {
              const p = can.find((c) => c.id === x.product_id);
              return h('li', { dataset: { id: x.product_id } }, h('strong', {}, p ? p.name || p.id : x.product_id), reasonList(x.reasons));
            }))));
        }
        throw err;
      }
    },
  });
  if (!result || !result.items) {
    if (refused) await refresh();
    return;
  }
  await refresh();
  await dialog({
    title: t('batch.done', { n: result.items.length }),
    body: h('div', { class: 'issued' }, h('p', {}, t('apply.doneBody')),
      h('ul', { class: 'issued-list' }, result.items.map((x) => h('li', { dataset: { code: x.code } },
        h('output', { class: 'sn' }, x.code), ' ', h('code', { class: 'muted' }, x.product_id), ' ', copyButton(x.code)))),
      h('p', { class: 'muted' }, h('a', { href: '#/numbers?state=available' }, t('batch.toNumbers')))),
    onConfirm: null,
    cancelText: t('common.close'),
  });
  refocus(opener);
}

function filters(params, go) {
  const kind = h('select', { id: 'filter-kind', name: 'kind' },
    h('option', { value: '' }, t('common.all')),
    KINDS.map((k) => h('option', { value: k, selected: params.get('kind') === k }, t(`kind.${k}`))));
  const only = h('input', { type: 'checkbox', id: 'filter-can-apply', checked: params.get('can_apply') === 'true' });
  const update = () => {
    const next = {};
    if (kind.value) next.kind = kind.value;
    if (only.checked) next.can_apply = 'true';
    go('products', next);
  };
  kind.addEventListener('change', update);
  only.addEventListener('change', update);
  return h('div', { class: 'toolbar', role: 'group', 'aria-label': t('products.filters') },
    h('div', { class: 'field field-inline' }, h('label', { for: 'filter-kind' }, t('products.filterKind')), kind),
    h('div', { class: 'check' }, only, h('label', { for: 'filter-can-apply' }, t('products.onlyApply'))));
}

export async function render(main, { params, go }) {
  const adviceSlot = h('div');
  const filtered = Boolean(params.get('kind') || params.get('can_apply'));
  const list = pagedList({
    fetchPage: tokenPages('/v1/products', {
      kind: params.get('kind') || undefined,
      can_apply: params.get('can_apply') === 'true' ? 'true' : undefined,
    }),
    view: (items) => groupedProducts(items, { onApply: (p) => apply(p, refreshAll, go) }),
    empty: filtered ? t('products.none') : t('products.noneYet'),
    count: (n, done) => t(done ? 'products.count' : 'products.countMore', { n }),
  });
  const overview = () => api('GET', '/v1/overview').then((o) => mount(adviceSlot, adviceBox(o && o.advice), summary(o)),
    (err) => { if (err.status !== 401) mount(adviceSlot, errorBox(err)); });
  // After an apply every figure on the page is read again: the cards and the count tiles.
  const refreshAll = () => Promise.all([overview(), list.refresh()]);
  const noticeSlot = h('div', { class: 'notice-slot' });
  noticeBanner(noticeSlot);
  mount(main,
    h('h1', { tabindex: '-1' }, t('products.title')),
    h('p', { class: 'lead' }, t('products.intro')),
    noticeSlot, adviceSlot, filters(params, go),
    h('div', { class: 'form-actions batch-bar' }, h('button', {
      type: 'button', class: 'btn batch-open', onclick: () => batchApply(list.items(), refreshAll),
    }, t('batch.open'))),
    list.el);
  await refreshAll();
}
