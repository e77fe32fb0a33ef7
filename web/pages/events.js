// 操作记录 / 审计日志: the audit trail (GET /v1/events?order=desc), newest first, 100 at a time with
// "Load more" (before/next_before); event types and details are drawn as sentences in the console's
// language (the raw code stays in a tooltip).
import { api, query } from '../api.js';
import { has, t } from '../i18n.js';
import { csvButton } from '../csv.js';
import { pagedList } from '../list.js';
import { cell, h, mount, tightCell, time } from '../ui.js';

/** Reads one page of events, newest first, before `next` (a seq, as text; '' for the newest). */
async function eventPage(next) {
  const page = await api('GET', `/v1/events${query({ order: 'desc', before: next || '', limit: 100 })}`);
  return { items: page.items || [], next: page.next_before ? String(page.next_before) : '' };
}

/** A known value of a field in the console's words (states, kinds, roles…); else the value. */
function word(field, v) {
  const keys = {
    from: `state.${v}`, to: `state.${v}`, state: `fstate.${v}`, kind: `kind.${v}`, role: `role.${v}`,
    billing: `billing.${v}`, status: `evstatus.${v}`, method: `evmethod.${v}`,
  };
  const key = keys[field];
  return key && has(key) ? t(key) : v;
}

function fmt(field, v) {
  if (Array.isArray(v)) {
    if (field === 'roles') return v.length ? v.map((r) => (has(`accounts.role.${r}`) ? t(`accounts.role.${r}`) : r)).join('、') : t('common.none');
    return v.length ? v.join(', ') : t('common.none');
  }
  if (v && typeof v === 'object') return JSON.stringify(v);
  return word(field, String(v));
}

/** The event as one sentence, e.g. "备案 f-… 已通过" (falls back to the type code). */
export function eventSummary(e) {
  const d = e.data && typeof e.data === 'object' ? e.data : {};
  const key = `ev.${e.type}`;
  if (!has(key)) return e.type;
  const vars = { subject: e.subject || '—' };
  for (const [k, v] of Object.entries(d)) vars[k] = fmt(k, v);
  return t(key, vars);
}

/** The remaining details as "label: value" pairs in the console's language. */
function details(e) {
  const d = e.data && typeof e.data === 'object' ? e.data : {};
  const rest = Object.entries(d).filter(([, v]) => v !== null && v !== '' && v !== undefined
   );
  if (!rest.length) return '—';
  return h('dl', { class: 'event-data' }, rest.map(([k, v]) => h('div', { class: 'event-field' },
    h('dt', {}, has(`evf.${k}`) ? t(`evf.${k}`) : k), h('dd', {}, fmt(k, v)))));
}

function table(items, title) {
  const cols = ['events.at', 'events.type', 'events.actor', 'events.account', 'events.subject', 'events.data'];
  return h('table', { class: 'table stack events' },
    h('caption', { class: 'sr-only' }, title),
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, t(c))))),
    h('tbody', {}, items.map((e) => h('tr', { dataset: { seq: e.seq, type: e.type } },
      cell(t('events.at'), time(e.at, true), h('small', { class: 'block muted' }, `#${e.seq}`)),
      cell(t('events.type'), h('span', { class: 'event-summary', title: e.type }, eventSummary(e))),
      tightCell(t('events.actor'), e.actor === 'system' ? t('events.system') : (e.actor || '—')),
      tightCell(t('events.account'), e.account_id || '—'),
      cell(t('events.subject'), e.subject ? h('code', {}, e.subject) : '—'),
      cell(t('events.data'), details(e))))));
}

export async function render(main, { route }) {
  const title = route === 'ops/events' ? t('events.opsTitle') : t('events.title');
  const list = pagedList({
    fetchPage: eventPage,
    view: (items) => table(items, title),
    empty: t('events.none'),
    count: (n, done) => t(done ? 'events.count' : 'list.loadedMore', { n }),
  });
  mount(main,
    h('h1', { tabindex: '-1' }, title),
    h('p', { class: 'lead' }, t('events.intro')),
    h('div', { class: 'toolbar' }, csvButton('/v1/events', {}, 'events')),
    list.el);
  await list.refresh();
}
