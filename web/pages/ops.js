// 产品查询 (operator): products by id or by account, with their eligibility.
import { api, listAll } from '../api.js';
import { t } from '../i18n.js';
import { errorBox, field, h, mount } from '../ui.js';
import { groupedProducts } from './products.js';

export async function render(main, { params, go }) {
  const id = h('input', { name: 'id', autocomplete: 'off', spellcheck: 'false', value: params.get('id') || undefined });
  const account = h('input', { name: 'account_id', autocomplete: 'off', spellcheck: 'false', value: params.get('account_id') || undefined });
  const search = (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    const value = form.elements[0].value.trim();
    go('ops/products', value ? { [form.elements[0].name]: value } : {});
  };
  const results = h('div', { 'aria-live': 'polite' });
  mount(main,
    h('h1', { tabindex: '-1' }, t('ops.title')),
    h('p', { class: 'lead' }, t('ops.intro')),
    h('div', { class: 'search-forms' },
      h('form', { class: 'card search', role: 'search', 'aria-label': t('ops.byId'), onsubmit: search },
        field(t('ops.productId'), id), h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.search'))),
      h('form', { class: 'card search', role: 'search', 'aria-label': t('ops.byAccount'), onsubmit: search },
        field(t('ops.accountId'), account), h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.search')))),
    results);
  try {
    let items;
    if (params.get('id')) {
      items = [await api('GET', `/v1/products/${encodeURIComponent(params.get('id'))}`)];
    } else if (params.get('account_id')) {
      items = await listAll('/v1/products', { account_id: params.get('account_id') });
    } else {
      items = (await api('GET', '/v1/products?limit=100')).items || [];
    }
    mount(results, h('p', { class: 'muted count-line' }, t('products.count', { n: items.length })),
      items.length ? groupedProducts(items, { showAccount: true }) : h('p', { class: 'empty' }, t('products.none')));
  } catch (err) {
    if (err.status !== 401) mount(results, errorBox(err));
  }
}
