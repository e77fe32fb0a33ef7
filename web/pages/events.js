// 操作记录 / 审计日志: the audit trail (GET /v1/events), oldest first, paged by `after`.
import { api, query } from '../api.js';
import { t } from '../i18n.js';
import { cell, errorBox, h, mount, tightCell, time } from '../ui.js';

const PAGE = 100;

function details(e) {
  const skip = new Set(['seq', 'at', 'actor', 'type', 'account_id', 'subject', 'data']);
  const data = e.data && typeof e.data === 'object' ? e.data : {};
  const rest = Object.entries(e).filter(([k]) => !skip.has(k)).concat(Object.entries(data))
    .filter(([, v]) => v !== null && v !== '' && v !== undefined);
  if (!rest.length) return '—';
  return h('code', { class: 'event-data' }, rest.map(([k, v]) =>
    `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`).join(' '));
}

function rows(items) {
  return items.map((e) => h('tr', { dataset: { seq: e.seq, type: e.type } },
    tightCell(t('events.seq'), String(e.seq)),
    cell(t('events.at'), time(e.at, true)),
    tightCell(t('events.actor'), e.actor || '—'),
    tightCell(t('events.type'), h('code', {}, e.type)),
    tightCell(t('events.account'), e.account_id || '—'),
    cell(t('events.subject'), e.subject ? h('code', {}, e.subject) : '—'),
    cell(t('events.data'), details(e))));
}

export async function render(main, { route }) {
  const title = route === 'ops/events' ? t('events.opsTitle') : t('events.title');
  const cols = ['events.seq', 'events.at', 'events.actor', 'events.type', 'events.account',
    'events.subject', 'events.data'];
  const body = h('tbody');
  const more = h('button', { type: 'button', class: 'btn', hidden: true }, t('common.more'));
  const status = h('div', { 'aria-live': 'polite' });
  mount(main,
    h('h1', { tabindex: '-1' }, title),
    h('p', { class: 'lead' }, t('events.intro')),
    h('table', { class: 'table stack events' },
      h('caption', { class: 'sr-only' }, title),
      h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, t(c))))), body),
    status, h('div', { class: 'form-actions' }, more));
  let after = 0;
  const load = async () => {
    more.disabled = true;
    try {
      const page = await api('GET', `/v1/events${query({ after, limit: PAGE })}`);
      const items = page.items || [];
      body.append(...rows(items));
      if (page.next_after !== undefined && page.next_after !== null) after = page.next_after;
      else if (items.length) after = items[items.length - 1].seq;
      more.hidden = items.length < PAGE;
      mount(status, body.children.length ? null : h('p', { class: 'empty' }, t('common.empty')));
    } catch (err) {
      if (err.status !== 401) mount(status, errorBox(err));
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener('click', load);
  await load();
}
