// 产品查询 (operator): products by id or by account, with their eligibility; every product otherwise,
// a page at a time.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { csvButton } from '../csv.js';
import { pagedList, tokenPages } from '../list.js';
import { field, h, mount } from '../ui.js';
import { groupedProducts } from './products.js';

export async function render(main, { params, go }) {
  // Fixed ids: after a search the field keeps the focus (the count line announces the result).
  const id = h('input', { id: 'ops-id', name: 'id', autocomplete: 'off', spellcheck: 'false', value: params.get('id') || undefined });
  const account = h('input', { id: 'ops-account', name: 'account_id', autocomplete: 'off', spellcheck: 'false', value: params.get('account_id') || undefined });
  const search = (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    const value = form.elements[0].value.trim();
    go('ops/products', value ? { [form.elements[0].name]: value } : {});
  };
  const results = h('div');
  mount(main,
    h('h1', { tabindex: '-1' }, t('ops.title')),
    h('p', { class: 'lead' }, t('ops.intro')),
    h('div', { class: 'search-forms' },
      h('form', { class: 'card search', role: 'search', 'aria-label': t('ops.byId'), onsubmit: search },
        field(t('ops.productId'), id), h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.search'))),
      h('form', { class: 'card search', role: 'search', 'aria-label': t('ops.byAccount'), onsubmit: search },
        field(t('ops.accountId'), account), h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.search')))),
    results);
  const byId = params.get('id');
  const list = pagedList({
    fetchPage: byId
      ? async () => {
        try {
          return { items: [await api('GET', `/v1/products/${encodeURIComponent(byId)}`)], next: '' };
        } catch (err) {
          if (err.status === 404) return { items: [], next: '' };
          throw err;
        }
      }
      : tokenPages('/v1/products', { account_id: params.get('account_id') || undefined }),
    view: (items) => groupedProducts(items, { showAccount: true }),
    empty: byId ? t('ops.notFound', { id: byId }) : (params.get('account_id') ? t('products.none') : t('products.noneOps')),
    count: (n, done) => t(done ? 'products.count' : 'products.countMore', { n }),
  });
  mount(results, byId ? null : h('div', { class: 'toolbar' },
    csvButton('/v1/products', { account_id: params.get('account_id') || undefined }, 'products')), list.el);
  await list.refresh();
}
