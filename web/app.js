// The console shell: sign-in, navigation by role, language switch and hash routing.
import { setToken, setUnauthenticatedHandler, ssoSession, ssoSignOut, token, whoAmI } from './api.js';
import { lang, setLang, t } from './i18n.js';
import { errorBox, field, h, mount, notice } from './ui.js';
import * as products from './pages/products.js';
import * as numbers from './pages/numbers.js';
import * as filings from './pages/filings.js';
import * as events from './pages/events.js';
import * as help from './pages/help.js';
import * as ops from './pages/ops.js';
import * as review from './pages/review.js';
import * as tokens from './pages/tokens.js';
import * as accounts from './pages/accounts.js';

const ROUTES = {
  customer: [
    ['products', 'nav.products', products],
    ['numbers', 'nav.numbers', numbers],
    ['filings', 'nav.filings', filings],
    ['events', 'nav.events', events],
    ['tokens', 'nav.tokens', tokens],
    ['help', 'nav.help', help],
  ],
  operator: [
    ['ops/products', 'nav.opsProducts', ops],
    ['ops/review', 'nav.opsReview', review],
    ['ops/events', 'nav.opsEvents', events],
    ['ops/accounts', 'nav.accounts', accounts, 'admin'],
    ['tokens', 'nav.tokens', tokens],
    ['help', 'nav.help', help],
  ],
};

/** The pages `me` may open: an entry's fourth element names the operator role it needs. */
function routesFor(me) {
  return ROUTES[me.role].filter((r) => !r[3] || (me.roles || []).includes(r[3]));
}

const state = { me: null, signInMessage: null, sso: null };
const root = document.getElementById('app');

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, qs] = raw.split('?');
  return { path, params: new URLSearchParams(qs || '') };
}

/** Navigates to a route, e.g. go('filings', {sn: 'ABC'}). */
export function go(path, params = {}) {
  const qs = new URLSearchParams(params).toString();
  location.hash = `#/${path}${qs ? `?${qs}` : ''}`;
}

function langButton() {
  return h('button', {
    type: 'button', class: 'btn btn-ghost lang-switch', lang: lang() === 'en' ? 'zh-CN' : 'en',
    'aria-label': `${t('lang.label')}: ${t('lang.switch')}`,
    onclick: async () => {
      setLang(lang() === 'en' ? 'zh-CN' : 'en');
      renderFocus = false;
      await render();
      root.querySelector('.lang-switch')?.focus();
    },
  }, t('lang.switch'));
}

function header(routes, current) {
  const me = state.me;
  const nav = me ? h('nav', { 'aria-label': t('nav.main'), class: 'nav' },
    h('ul', {}, routes.map(([path, key]) => h('li', {},
      h('a', { href: `#/${path}`, 'aria-current': path === current ? 'page' : undefined }, t(key)))))) : null;
  const who = me ? h('div', { class: 'who' },
    me.name || me.account_id ? h('span', { class: 'who-name' }, t('signin.as'), me.name || me.account_id) : null,
    h('span', { class: `badge badge-${me.role === 'operator' ? 'info' : 'muted'}` }, t(`role.${me.role}`)),
    h('button', { type: 'button', class: 'btn btn-ghost', onclick: signOut }, t('signin.out'))) : null;
  return h('header', { class: 'topbar' },
    h('div', { class: 'topbar-row' },
      h('a', { class: 'brand', href: me ? '#/' : '#' },
        h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '备'), t('app.title')),
      h('div', { class: 'topbar-tools' }, who, langButton())),
    nav);
}

async function signOut() {
  if (state.sso?.signed_in) {
    await ssoSignOut();
    state.sso = { ...state.sso, signed_in: false };
  }
  setToken('');
  state.me = null;
  state.signInMessage = null;
  location.hash = '';
  render();
}

function signInPage() {
  const input = h('input', {
    type: 'password', name: 'token', autocomplete: 'off', spellcheck: 'false', required: true,
    class: 'input-mono',
  });
  const msg = h('div', { class: 'signin-msg' });
  if (state.signInMessage) mount(msg, state.signInMessage);
  const ssoError = new URLSearchParams(location.search).get('sso_error');
  if (ssoError && !state.signInMessage) {
    const known = ['ACCESS_DENIED', 'LOGIN_EXPIRED', 'NO_ACCOUNT', 'ACCOUNT_DISABLED', 'NO_ROLE',
      'UNAVAILABLE', 'INVALID'];
    const el = notice(t(`sso.error.${known.includes(ssoError) ? ssoError : 'INVALID'}`), 'error');
    el.setAttribute('data-code', ssoError);
    mount(msg, el);
  }
  const sso = state.sso?.sso ? h('div', { class: 'signin-sso' },
    h('a', { class: 'btn btn-primary', href: '/auth/login' }, t('signin.sso')),
    h('p', { class: 'muted small' }, t('signin.ssoOr'))) : null;
  const form = h('form', { class: 'card signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title', tabindex: '-1' }, t('signin.title')),
    h('p', { class: 'muted' }, t('signin.intro')),
    msg,
    sso,
    field(t('signin.token'), input),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('signin.submit')),
    h('p', { class: 'muted small' }, t('signin.demoHint')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const tok = input.value.trim();
    if (!tok) { mount(msg, notice(t('signin.empty'), 'error')); return; }
    const btn = form.querySelector('button[type=submit]');
    btn.disabled = true;
    try {
      state.me = await whoAmI(tok);
      setToken(tok);
      state.signInMessage = null;
      const first = `#/${routesFor(state.me)[0][0]}`;
      if (location.hash !== first) location.hash = first; // hashchange renders
      else render();
    } catch (err) {
      mount(msg, errorBox(err));
      btn.disabled = false;
    }
  });
  return form;
}

let renderSeq = 0;

/** Renders the whole console for the current hash. */
export async function render() {
  const seq = ++renderSeq;
  const keepFocus = document.activeElement?.id || '';
  document.documentElement.lang = lang();
  document.title = t('app.title');
  if (!state.me && !token() && state.sso === null) {
    state.sso = await ssoSession();
    if (state.sso.signed_in) {
      try {
        state.me = await whoAmI('');
      } catch (err) {
        state.signInMessage = errorBox(err);
      }
      if (location.search) history.replaceState(null, '', `/${location.hash}`);
    }
    if (seq !== renderSeq) return;
  }
  if (!state.me && token()) {
    try {
      state.me = await whoAmI(token());
    } catch (err) {
      setToken('');
      state.signInMessage = errorBox(err);
    }
    if (seq !== renderSeq) return;
  }
  const main = h('main', { id: 'main', tabindex: '-1' });
  const skip = h('a', { class: 'skip', href: '#main', onclick: (e) => { e.preventDefault(); main.focus(); } },
    t('app.skip'));
  if (!state.me) {
    mount(root, skip, header([], ''), main);
    mount(main, signInPage());
    root.querySelector('input[name=token]')?.focus();
    return;
  }
  const routes = routesFor(state.me);
  const { path, params } = parseHash();
  const route = routes.find(([p]) => p === path) || routes[0];
  mount(root, skip, header(routes, route[0]), main);
  document.title = `${t(route[1])} · ${t('app.title')}`;
  try {
    await route[2].render(main, { me: state.me, params, go, route: route[0] });
  } catch (err) {
    if (seq === renderSeq && err.status !== 401) mount(main, errorBox(err));
  }
  if (seq !== renderSeq) return;
  if (renderFocus) {
    // A filter control keeps the focus across the re-render it caused; a new page focuses its title.
    const again = keepFocus && main.querySelector(`#${CSS.escape(keepFocus)}`);
    (again || main.querySelector('h1'))?.focus();
  }
  renderFocus = true;
}

let renderFocus = false;

setUnauthenticatedHandler((err) => {
  setToken('');
  if (state.sso) state.sso = { ...state.sso, signed_in: false };
  state.me = null;
  state.signInMessage = h('div', {}, notice(t('signin.expired'), 'error'), errorBox(err));
  render();
});

window.addEventListener('hashchange', () => {
  if (location.hash === '#main') return;
  render();
});
setLang(lang());
render();
