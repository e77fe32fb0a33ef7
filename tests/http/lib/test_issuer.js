// A minimal token issuer for the bearer-JWT tests: serves an OpenID discovery document and a JWKS
// over HTTP on 127.0.0.1, and signs JWTs with node's crypto (RS256, ES256, EdDSA). It counts the
// JWKS fetches, and its key set can be replaced (rotation) while it runs.
'use strict';
const crypto = require('node:crypto');
const http = require('node:http');

const b64url = (buf) => Buffer.from(buf).toString('base64url');

// A signing key: {kid, alg, privateKey, jwk (public)}.
function newKey(alg, kid = `${alg.toLowerCase()}-${crypto.randomBytes(4).toString('hex')}`) {
  const pair = alg === 'RS256' ? crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
    : alg === 'ES256' ? crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : crypto.generateKeyPairSync('ed25519');
  const jwk = { ...pair.publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' };
  return { kid, alg, privateKey: pair.privateKey, jwk };
}

// A compact JWS of `claims` signed by `key` (header overrides in `header`).
function sign(key, claims, header = {}) {
  const h = { alg: key.alg, typ: 'JWT', kid: key.kid, ...header };
  const input = `${b64url(JSON.stringify(h))}.${b64url(JSON.stringify(claims))}`;
  const data = Buffer.from(input);
  const sig = key.alg === 'RS256' ? crypto.sign('sha256', data, key.privateKey)
    : key.alg === 'ES256' ? crypto.sign('sha256', data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' })
      : crypto.sign(null, data, key.privateKey);
  return `${input}.${b64url(sig)}`;
}

// Starts the issuer: {url, setKeys(keys), jwksFetches(), stop()}.
async function startIssuer(keys) {
  let current = keys;
  let fetches = 0;
  const server = http.createServer((req, res) => {
    const base = `http://127.0.0.1:${server.address().port}`;
    if (req.url === '/.well-known/openid-configuration') {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({
        issuer: base, jwks_uri: `${base}/jwks`, authorization_endpoint: `${base}/auth`,
        token_endpoint: `${base}/token`,
      }));
    } else if (req.url === '/jwks') {
      fetches += 1;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ keys: current.map((k) => k.jwk) }));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    setKeys: (k) => { current = k; },
    jwksFetches: () => fetches,
    stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

module.exports = { newKey, sign, startIssuer };
