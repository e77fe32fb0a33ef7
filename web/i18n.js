// Every string of the console, in zh-CN (default) and English. Messages about rules come from the
// server, already localised through Accept-Language; the texts here are the console's own words.
import en from './i18n_en.js';
import zh from './i18n_zh.js';

const TABLE = { 'zh-CN': zh, en };

const KEY = 'beian.lang';
let current = TABLE[localStorage.getItem(KEY)] ? localStorage.getItem(KEY) : 'zh-CN';

/** The language in force: 'zh-CN' or 'en'. */
export function lang() {
  return current;
}

/** Switches the language and remembers it in localStorage. */
export function setLang(l) {
  current = TABLE[l] ? l : 'zh-CN';
  localStorage.setItem(KEY, current);
  document.documentElement.lang = current;
}

/** The text for `key`, with {name} placeholders filled from `vars`. */
export function t(key, vars = {}) {
  const s = TABLE[current][key] ?? TABLE['zh-CN'][key] ?? key;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

/** True when the table has `key` (used for optional texts such as advice codes). */
export function has(key) {
  return key in TABLE[current];
}

/** Keys that one language has and the other lacks (the table must stay complete). */
export function missingKeys() {
  const zh = Object.keys(TABLE['zh-CN']);
  const en = Object.keys(TABLE.en);
  return zh.filter((k) => !(k in TABLE.en)).concat(en.filter((k) => !(k in TABLE['zh-CN'])));
}
