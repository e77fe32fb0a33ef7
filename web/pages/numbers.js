// 备案服务号管理: every number with its state, product, domain and issue date; grant to another account.
import { api, ApiError, listAll } from '../api.js';
import { t } from '../i18n.js';
import { csvButton } from '../csv.js';
import { pagedList, tokenPages } from '../list.js';
import { actionsCell, announce, badge, cell, copyButton, dialog, errorBox, field, fmtDateTime, h, mount, notice, time } from '../ui.js';
import { filingState } from './filings.js';

const STATES = ['available', 'in_review', 'filed', 'voided'];
const TONE = { available: 'ok', in_review: 'info', filed: 'muted', voided: 'error' };

/** A number's state as a coloured label. */
export function numberState(state) {
  return badge(t(`state.${state}`), TONE[state] || 'muted');
}

/** A grant refusal in the console's words, naming the account (the server's field detail comes in
 * the request's language: "a number cannot be granted to its owner" / "不能授权给自己"). */
function grantError(err, account) {
  const code = err.problem && err.problem.code;
  const fieldErr = ((err.problem && err.problem.errors) || []).find((e) => e.field === 'account_id');
  if (code !== 'INVALID_REQUEST' || !fieldErr) return err;
  const self = /owner|自己/.test(fieldErr.detail || '');
  return new ApiError(err.status, {
    ...err.problem, errors: [], detail: undefined,
    title: t(self ? 'grant.error.self' : 'grant.error.notCustomer', { account }),
  });
}

async function grant(n, refresh, status) {
  const input = h('input', { name: 'account_id', required: true, autocomplete: 'off', pattern: '[A-Za-z0-9._\\-]{1,64}' });
  const done = await dialog({
    title: t('grant.title'),
    body: h('p', { class: 'grant-warning' }, t('grant.body', { code: n.code })),
    fields: [field(t('grant.account'), input)],
    confirmText: t('grant.confirm'),
    onConfirm: (v) => {
      const account = v.account_id.trim();
      return api('POST', `/v1/service-numbers/${encodeURIComponent(n.code)}/grants`, { body: { account_id: account } })
        .then(() => v, (err) => { throw grantError(err, account); });
    },
  });
  if (!done) return;
  await refresh();
  announce(status, notice(t('grant.done', { account: done.account_id.trim() })));
}

/** The "used by" view of a number: its grants (revocable while available) and its filings. */
async function usedBy(n, ctx) {
  const body = h('div', { class: 'used-by-view' }, h('p', { class: 'muted' }, t('common.loading')));
  const status = h('div');
  let changed = false;
  const draw = (g) => {
    const revocable = n.state === 'available';
    mount(body, status,
      h('h3', {}, t('usedby.grants')),
      (g.grants || []).length ? h('ul', { class: 'grant-list' }, g.grants.map((x) => h('li', { dataset: { account: x.account_id } },
        h('strong', {}, x.account_id), ' ', h('small', { class: 'muted' }, t('usedby.grantedAt', { at: fmtDateTime(x.granted_at) })), ' ',
        revocable ? h('button', {
          type: 'button', class: 'btn btn-small btn-danger-outline', 'aria-label': t('usedby.revokeFor', { account: x.account_id }),
          onclick: () => revoke(x.account_id),
        }, t('usedby.revoke')) : null)))
        : h('p', { class: 'muted' }, t('usedby.noGrants')),
      (g.grants || []).length && !revocable ? h('p', { class: 'muted small' }, t('usedby.revokeOnlyAvailable')) : null,
      h('h3', {}, t('usedby.filings')),
      (g.used_by || []).length ? h('table', { class: 'table' },
        h('caption', { class: 'sr-only' }, t('usedby.filings')),
        h('thead', {}, h('tr', {}, [t('filings.domain'), t('usedby.filer'), t('filings.state'), t('filings.created')].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, g.used_by.map((f) => h('tr', { dataset: { id: f.filing_id } },
          h('td', {}, f.domain), h('td', {}, f.account_id), h('td', {}, filingState(f.state)), h('td', {}, time(f.submitted_at, true))))))
        : h('p', { class: 'muted' }, t('usedby.noFilings')));
  };
  const path = `/v1/service-numbers/${encodeURIComponent(n.code)}/grants`;
  const revoke = async (account) => {
    mount(status);
    const res = await dialog({
      title: t('usedby.revokeTitle'),
      body: t('usedby.revokeBody', { account, code: n.code }),
      confirmText: t('usedby.revoke'),
      danger: true,
      onConfirm: () => api('DELETE', `${path}/${encodeURIComponent(account)}`),
    });
    if (!res) return;
    changed = true;
    draw(res);
    announce(status, notice(t('usedby.revoked', { account })));
  };
  const shown = dialog({ title: t('usedby.title', { code: n.code }), body, onConfirm: null, cancelText: t('common.close') });
  try {
    draw(await api('GET', path));
  } catch (err) {
    if (err.status !== 401) mount(body, errorBox(err));
  }
  await shown;
  if (changed) await ctx.refresh();
}

function row(n, ctx) {
  const mine = ctx.ownProducts.has(n.product_id) || (ctx.me.account_id && n.account_id === ctx.me.account_id);
  const product = ctx.products.get(n.product_id);
  const actions = [];
  if (n.state === 'available' && n.usable !== false) {
    actions.push(h('a', { class: 'btn btn-small', href: `#/filings?sn=${encodeURIComponent(n.code)}` }, t('numbers.file')));
  }
  if (n.state === 'available' && mine) {
    actions.push(h('button', {
      type: 'button', class: 'btn btn-small', 'aria-label': `${t('numbers.grant')} ${n.code}`,
      onclick: () => grant(n, ctx.refresh, ctx.status),
    }, t('numbers.grant')));
  }
  if (mine) {
    actions.push(h('button', {
      type: 'button', class: 'btn btn-small used-by-open', 'aria-label': t('usedby.openFor', { code: n.code }),
      onclick: () => usedBy(n, ctx),
    }, t('usedby.open')));
  }
  return h('tr', { dataset: { code: n.code, state: n.state } },
    cell(t('numbers.code'), h('span', { class: 'sn' }, n.code), ' ', copyButton(n.code)),
    cell(t('numbers.state'), numberState(n.state),
      n.state === 'available' && n.usable === false ? h('small', { class: 'muted block' }, t('numbers.unusable')) : null,
      !mine ? h('small', { class: 'muted block' }, n.account_id ? t('numbers.sharedBy', { account: n.account_id }) : t('numbers.sharedWithMe')) : null),
    cell(t('numbers.product'), product && product.name && product.name !== n.product_id ? product.name : null,
      h('code', { class: product && product.name && product.name !== n.product_id ? 'block muted' : 'block' }, n.product_id)),
    cell(t('numbers.domain'), n.domain || '—'),
    cell(t('numbers.issued'), time(n.issued_at, true)),
    cell(t('numbers.grantedTo'), mine ? (n.granted_to || []).join(', ') || '—'
      : t('filings.grantedBy', { account: n.account_id || '—' })),
    actionsCell(actions));
}

function table(items, ctx) {
  const cols = ['numbers.code', 'numbers.state', 'numbers.product', 'numbers.domain', 'numbers.issued',
    'numbers.grantedTo', 'common.actions'];
  return h('table', { class: 'table stack' },
    h('caption', { class: 'sr-only' }, t('numbers.title')),
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, t(c))))),
    h('tbody', {}, items.map((n) => row(n, ctx))));
}

export async function render(main, { me, params, go }) {
  const state = h('select', { id: 'filter-state' }, h('option', { value: '' }, t('common.all')),
    STATES.map((s) => h('option', { value: s, selected: params.get('state') === s }, t(`state.${s}`))));
  state.addEventListener('change', () => go('numbers', state.value ? { state: state.value } : {}));
  const status = h('div');
  const ctx = { me, status, products: new Map(), ownProducts: new Set() };
  // Newest first: the API orders numbers by code, so every page is read, then sorted.
  const list = pagedList({
    fetchPage: tokenPages('/v1/service-numbers', { state: params.get('state') || undefined }, 500),
    all: true,
    sort: (a, b) => String(b.issued_at).localeCompare(String(a.issued_at)) || a.code.localeCompare(b.code),
    view: (items) => table(items, ctx),
    count: (n) => t('numbers.count', { n }),
  });
  ctx.refresh = async () => {
    // Product names, and which products are the account's own (numbers of others were granted).
    const products = await listAll('/v1/products').catch(() => []);
    for (const p of products) { ctx.products.set(p.id, p); ctx.ownProducts.add(p.id); }
    await list.refresh();
  };
  mount(main,
    h('h1', { tabindex: '-1' }, t('numbers.title')),
    h('p', { class: 'lead' }, t('numbers.intro')),
    h('div', { class: 'toolbar' },
      h('div', { class: 'field field-inline' }, h('label', { for: 'filter-state' }, t('numbers.filterState')), state),
      csvButton('/v1/service-numbers', { state: params.get('state') || undefined }, 'service-numbers')),
    status, list.el);
  await ctx.refresh();
}
