// Well-formed service-number codes for tests: 24 Crockford base32 symbols and the GF(32) check
// symbol of rules.md "Service-number format" (modulus x^5 + x^2 + 1).
'use strict';
const crypto = require('node:crypto');

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function mulAlpha(v) {
  v <<= 1;
  return v & 0x20 ? v ^ 0x25 : v;
}

function format(symbols) {
  const s = symbols.map((v) => ALPHABET[v]).join('');
  return s.match(/.{5}/g).join('-');
}

// A random code with a correct check symbol (almost surely never issued).
function randomCode() {
  const data = [...crypto.randomBytes(24)].map((b) => b & 31);
  let acc = 0;
  for (let i = data.length - 1; i >= 0; i--) acc = mulAlpha(acc ^ data[i]);
  return format([...data, acc]);
}

// `code` with one symbol changed: the check symbol makes it malformed.
function corrupt(code) {
  const i = 3;
  const c = code[i];
  const other = ALPHABET[(ALPHABET.indexOf(c) + 1) % 32];
  return code.slice(0, i) + other + code.slice(i + 1);
}

module.exports = { randomCode, corrupt };
