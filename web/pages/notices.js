// 提醒 / Notices: what the notices scan told this customer (GET /v1/notices, newest first):
// products whose remaining term runs out, numbers that can no longer be used, filings in review
// too long. Each notice links to its product, number or filing and says what to do.
import { api, query } from '../api.js';
import { t } from '../i18n.js';
import { pagedList } from '../list.js';
import { fmtDate, h, mount, time } from '../ui.js';

/** One page of notices before `next` (an id, as text; '' for the newest). */
async function noticePage(next) {
  const page = await api('GET', `/v1/notices${query({ before: next || '', limit: 100 })}`);
  return { items: page.items || [], next: page.next_before ? String(page.next_before) : '' };
}

/** Where the notice's object is shown in the console. */
export function noticeHref(n) {
  const id = encodeURIComponent(n.object.id);
  switch (n.object.type) {
    case 'service_number': return `#/numbers?hl=${id}`;
    case 'filing': return `#/filings?hl=${id}`;
    default: return `#/products?hl=${id}`;
  }
}

/** The notice's sentence and its remedy, in the console's language. */
export function noticeText(n) {
  const p = n.params || {};
  switch (n.kind) {
    case 'product.term_expiring':
      return [t('notices.term', { id: n.object.id, months: p.min_months, below: fmtDate(p.below_minimum_at), end: fmtDate(p.expires_at), days: p.days_left }),
        t('notices.term.remedy')];
    case 'number.lapsed': {
      const reason = ['expired', 'released', 'no_public_ip'].includes(p.reason) ? p.reason : 'expired';
      return [t(`notices.lapsed.${reason}`, { code: n.object.id, product: p.product_id, since: fmtDate(p.since) }),
        t(`notices.lapsed.${reason}.remedy`)];
    }
    case 'filing.review_overdue':
      return [t('notices.overdue', { id: n.object.id, domain: p.domain, days: p.review_days, since: fmtDate(p.submitted_at) }),
        t('notices.overdue.remedy')];
    default:
      return [n.message || n.kind, ''];
  }
}

function noticeList(items) {
  return h('ul', { class: 'notice-list' }, items.map((n) => {
    const [text, remedy] = noticeText(n);
    return h('li', { class: `card notice-item notice-${n.kind.replace(/\./g, '-')}`, dataset: { id: String(n.id), kind: n.kind } },
      h('p', { class: 'notice-head' },
        h('span', { class: 'badge badge-warn' }, t(`notices.kind.${n.kind}`)), ' ',
        time(n.created_at, true)),
      h('p', { class: 'notice-text' }, text),
      remedy ? h('p', { class: 'muted notice-remedy' }, remedy) : null,
      h('p', {}, h('a', { href: noticeHref(n), class: 'notice-link' }, t(`notices.open.${n.object.type}`, { id: n.object.id }))));
  }));
}

export async function render(main) {
  const list = pagedList({
    fetchPage: noticePage,
    view: noticeList,
    empty: t('notices.none'),
    count: (n, done) => t(done ? 'notices.count' : 'list.loadedMore', { n }),
  });
  mount(main,
    h('h1', { tabindex: '-1' }, t('notices.title')),
    h('p', { class: 'lead' }, t('notices.intro')),
    list.el);
  await list.refresh();
}

/** A short box for the customer's first page: how many notices there are, with a link; none when
 *  there are none (or they cannot be read). */
export async function noticeBanner(slot) {
  try {
    const page = await api('GET', `/v1/notices${query({ limit: 100 })}`);
    const n = (page.items || []).length;
    if (!n) return;
    mount(slot, h('div', { class: 'alert alert-warn notice-banner', role: 'status' },
      t(page.next_before ? 'notices.bannerMany' : 'notices.banner', { n }), ' ',
      h('a', { href: '#/notices' }, t('notices.bannerLink'))));
  } catch {
    // The banner is a convenience: the notices page shows any error.
  }
}
