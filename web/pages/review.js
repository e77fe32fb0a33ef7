// 备案审核 (operator): filings in review (oldest first, a queue) with approve and reject, each
// confirmed in a dialog that is busy while the request runs; all filings (newest first) with cancel.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { pagedList, tokenPages } from '../list.js';
import { announce, dialog, field, h, mount, notice } from '../ui.js';
import { filingAction, filingsTable } from './filings.js';

export async function render(main, { params, go }) {
  const all = params.get('all') === '1';
  const status = h('div');
  const toggle = h('input', { type: 'checkbox', id: 'review-all', checked: all });
  toggle.addEventListener('change', () => go('ops/review', toggle.checked ? { all: '1' } : {}));
  const done = async (text) => {
    await list.refresh();
    announce(status, notice(text));
  };
  const approve = async (f) => {
    mount(status);
    const ok = await dialog({
      title: t('review.approveTitle'),
      body: t(f.service_number ? 'review.approveBody' : 'review.approveBodyVhost',
        { domain: f.domain, code: f.service_number || '' }),
      confirmText: t('review.approve'),
      onConfirm: () => api('POST', `/v1/filings/${encodeURIComponent(f.id)}/approve`).then(() => true),
    });
    if (ok) await done(t('review.approved', { domain: f.domain }));
  };
  const reject = async (f) => {
    mount(status);
    const reason = h('textarea', { name: 'reason', rows: 3, required: true, maxlength: 500 });
    const ok = await dialog({
      title: t('review.rejectTitle'),
      body: f.domain,
      fields: [field(t('review.reason'), reason, t('review.reasonHint'))],
      confirmText: t('review.reject'),
      danger: true,
      onConfirm: (v) => {
        const text = (v.reason || '').trim();
        if (!text) {
          reason.value = '';
          reason.focus();
          throw new Error(t('review.reasonBlank'));
        }
        return api('POST', `/v1/filings/${encodeURIComponent(f.id)}/reject`, { body: { reason: text } }).then(() => true);
      },
    });
    if (ok) await done(t('review.rejected', { domain: f.domain }));
  };
  function actionsFor(f) {
    const b = (label, cls, fn) => h('button', {
      type: 'button', class: `btn btn-small ${cls}`, 'aria-label': `${label}: ${f.domain}`, onclick: () => fn(f),
    }, label);
    if (f.state === 'in_review') {
      return [b(t('review.approve'), 'btn-primary', approve), b(t('review.reject'), 'btn-danger-outline', reject)];
    }
    if (f.state === 'approved') {
      return [b(t('filings.cancel'), 'btn-danger-outline', async () => {
        mount(status);
        if (await filingAction(f, 'cancel')) await done(t('cancel.done'));
      })];
    }
    return [];
  }
  // The queue is oldest first (first come, first served); the full list newest first, like the
  // customer's. Both read every page, since the API orders filings by id.
  const list = pagedList({
    fetchPage: tokenPages('/v1/filings', all ? {} : { state: 'in_review' }, 500),
    all: true,
    sort: all ? (a, b) => String(b.created_at).localeCompare(String(a.created_at))
      : (a, b) => String(a.created_at).localeCompare(String(b.created_at)),
    view: (items) => filingsTable(items, { actionsFor, showAccount: true, caption: t('review.title') }),
    empty: all ? t('common.empty') : t('review.none'),
    count: (n) => t('review.count', { n }),
  });
  mount(main,
    h('h1', { tabindex: '-1' }, t('review.title')),
    h('p', { class: 'lead' }, t('review.intro')),
    h('div', { class: 'toolbar' }, h('div', { class: 'check' }, toggle, h('label', { for: 'review-all' }, t('review.all')))),
    status, list.el);
  await list.refresh();
}
