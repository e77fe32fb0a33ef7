// The console shell: sign-in, navigation by role, language switch and hash routing.
import { setToken, setUnauthenticatedHandler, ssoSession, ssoSignOut, token, whoAmI } from './api.js';
import { lang, setLang, t } from './i18n.js';
import { errorBox, field, h, mount, notice } from './ui.js';
import { highlight, searchButton } from './search.js';
import * as products from './pages/products.js';
import * as numbers from './pages/numbers.js';
import * as filings from './pages/filings.js';
import * as events from './pages/events.js';
import * as help from './pages/help.js';
import * as ops from './pages/ops.js';
import * as review from './pages/review.js';
import * as dashboard from './pages/dashboard.js';
import * as tokens from './pages/tokens.js';
import * as accounts from './pages/accounts.js';
import * as notices from './pages/notices.js';
import * as webhooks from './pages/webhooks.js';

const ROUTES = {
  customer: [
    ['products', 'nav.products', products],
    ['numbers', 'nav.numbers', numbers],
    ['filings', 'nav.filings', filings],
    ['notices', 'nav.notices', notices],
    ['events', 'nav.events', events],
    ['tokens', 'nav.tokens', tokens],
    ['webhooks', 'nav.webhooks', webhooks],
    ['help', 'nav.help', help],
  ],
  operator: [
    ['ops/products', 'nav.opsProducts', ops],
    ['ops/review', 'nav.opsReview', review],
    ['ops/dashboard', 'nav.dashboard', dashboard],
    ['ops/events', 'nav.opsEvents', events],
    ['ops/accounts', 'nav.accounts', accounts, 'admin'],
    ['ops/webhooks', 'nav.opsWebhooks', webhooks, 'admin'],
    ['tokens', 'nav.tokens', tokens],
    ['help', 'nav.help', help],
  ],
};

/** The pages `me` may open: an entry's fourth element names the operator role it needs. */
function routesFor(me) {
  return ROUTES[me.role].filter((r) => !r[3] || (me.roles || []).includes(r[3]));
}

// returnTo: the page a user was on when the token stopped working (opened again after sign-in).
const state = { me: null, signInMessage: null, sso: null, returnTo: '' };
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
        h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '备'), h('span', { class: 'brand-text' }, t('app.title'))),
      h('div', { class: 'topbar-tools' }, me ? searchButton(me) : null, who, langButton())),
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

/** The one message of a refused or ended sign-in, in the console's words (both languages). */
function authAlert(text) {
  return h('div', { class: 'alert alert-error', role: 'alert', dataset: { code: 'UNAUTHENTICATED' } }, text);
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
    state.sso?.demo ? h('p', { class: 'muted small demo-hint' }, t('signin.demoHint')) : null);
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
      const routes = routesFor(state.me);
      const back = state.returnTo.replace(/^#\/?/, '').split('?')[0];
      const next = routes.some(([p]) => p === back) ? state.returnTo : `#/${routes[0][0]}`;
      state.returnTo = '';
      renderFocus = true; // the page's heading takes the focus
      if (location.hash !== next) location.hash = next; // hashchange renders
      else render();
    } catch (err) {
      mount(msg, err.status === 401 ? authAlert(t('signin.wrong')) : errorBox(err));
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
      state.signInMessage = err.status === 401 ? authAlert(t('signin.expired')) : errorBox(err);
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
  let target = null;
  try {
    target = await route[2].render(main, { me: state.me, params, go, route: route[0] });
  } catch (err) {
    if (seq === renderSeq && err.status !== 401) mount(main, errorBox(err));
  }
  if (seq !== renderSeq) return;
  highlight(main, params.get('hl'));
  // Unless the page moved the focus itself meanwhile (e.g. to the Retry of a failed list).
  if (renderFocus && !main.contains(document.activeElement)) {
    // A filter control keeps the focus across the re-render it caused; a new page focuses its title.
    const again = keepFocus && main.querySelector(`#${CSS.escape(keepFocus)}`);
    // A page may name a better place (e.g. the one field left to fill in).
    (again || (target instanceof Element && target.isConnected ? target : null) || main.querySelector('h1'))?.focus();
  }
  renderFocus = true;
}

let renderFocus = false;

// The token stopped working mid-session: close any dialog, say so once, and remember the page so
// that signing in again returns to it.
setUnauthenticatedHandler(() => {
  if (!state.me) return; // already on the sign-in page (several calls may fail at once)
  for (const d of document.querySelectorAll('dialog[open]')) d.close();
  setToken('');
  if (state.sso) state.sso = { ...state.sso, signed_in: false };
  state.returnTo = location.hash;
  state.me = null;
  state.signInMessage = authAlert(t('signin.expired'));
  render();
});

window.addEventListener('hashchange', () => {
  if (location.hash === '#main') return;
  render();
});
setLang(lang());
render();
