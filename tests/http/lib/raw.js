// Raw-socket helpers of the HTTP tests: send bytes exactly as given (no client fixing them up).
'use strict';
const net = require('node:net');

// Sends `chunks` (strings or Buffers) on a new connection and resolves with everything the server
// sent until it closed the connection (or `waitMs` passed): {text (latin1), closed}.
function raw(url, chunks, { waitMs = 5000, endAfterWrite = false } = {}) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(port), hostname);
    const parts = [];
    const timer = setTimeout(() => { sock.destroy(); resolve({ text: Buffer.concat(parts).toString('latin1'), closed: false }); }, waitMs);
    sock.on('data', (d) => parts.push(d));
    sock.on('error', () => {});
    sock.on('close', () => { clearTimeout(timer); resolve({ text: Buffer.concat(parts).toString('latin1'), closed: true }); });
    sock.on('connect', () => {
      try {
        for (const c of chunks) sock.write(c);
        if (endAfterWrite) sock.end();
      } catch (e) { reject(e); }
    });
  });
}

// The status code of the first response in `text`.
const statusOf = (text) => Number((text.match(/^HTTP\/1\.1 (\d{3})/) || [])[1]);

// The JSON body of a single response in `text`.
function bodyOf(text) {
  const i = text.indexOf('\r\n\r\n');
  return JSON.parse(text.slice(i + 4));
}

module.exports = { raw, statusOf, bodyOf };
