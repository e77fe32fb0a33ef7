// 帮助: the FAQ's questions answered in our own words, each linking to the page where the user acts.
import { has, t } from '../i18n.js';
import { h, mount } from '../ui.js';

const LINKS = {
  1: '#/products?kind=vhost',
  2: '#/products',
  3: '#/products',
  4: '#/products?kind=ecs',
  5: '#/products?kind=cxt_shop',
  6: '#/products?can_apply=true',
  7: '#/products',
  8: '#/numbers?state=available',
  9: '#/numbers?state=voided',
};

/** The operator's questions: review, cancel, the audit trail, why a product cannot apply. */
function opsHelp() {
  return h('section', { 'aria-labelledby': 'ops-help' }, h('h2', { id: 'ops-help' }, t('help.opsTitle')),
    h('div', { class: 'faq' }, [1, 2, 3, 4].map((n) => h('details', { class: 'card faq-item', id: `faq-ops-${n}` },
      h('summary', {}, t(`help.ops.q${n}`)),
      h('div', { class: 'faq-body' }, h('p', {}, t(`help.ops.a${n}`)))))));
}

export async function render(main, { me }) {
  const customer = me.role === 'customer';
  mount(main,
    h('h1', { tabindex: '-1' }, t('help.title')),
    h('p', { class: 'lead' }, t('help.intro')),
    customer ? null : opsHelp(),
    customer ? null : h('h2', { id: 'customer-help' }, t('help.customerTitle')),
    h('div', { class: 'faq' }, Object.keys(LINKS).map((n) => h('details', { class: 'card faq-item', id: `faq-${n}` },
      h('summary', {}, t(`help.q${n}`)),
      h('div', { class: 'faq-body' },
        h('p', {}, t(`help.a${n}`)),
        has(`help.a${n}.list`) ? h('ul', {}, t(`help.a${n}.list`).split('\n').map((x) => h('li', {}, x))) : null,
        customer ? h('p', {}, h('a', { href: LINKS[n], class: 'faq-link' }, t(`help.l${n}`), ' →')) : null)))));
}
