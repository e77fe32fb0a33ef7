// An abusive client for the fairness tests and the bench, run as its own process so that its
// sockets do not slow down the measuring process:
//   node flood.js URL MODE SLOTS [LOCAL_ADDRESS]
// MODE "idle": each of SLOTS slots keeps a connection open that sends nothing; "slowloris": each
// sends a request head one header line every 200 ms and never ends it. A slot whose connection is
// closed reconnects after RECONNECT_MS (default 500 ms). Prints "ready" once every slot has
// connected at least once (so the flood is on before anything is measured); on SIGTERM prints one
// JSON line {connects, open, slots_connected} and exits.
'use strict';
const net = require('node:net');

const [url, mode, slotsText, localAddress = '127.0.0.1'] = process.argv.slice(2);
const { hostname, port } = new URL(url);
const slots = Number(slotsText);
let connects = 0;
let open = 0;
let slotsConnected = 0;
let stopping = false;

// One slot: `state.connected` tells whether it ever connected, across its reconnects.
function slot(state) {
  if (stopping) return;
  const sock = net.connect({ host: hostname, port: Number(port), localAddress });
  let timer = null;
  let opened = false;
  sock.on('connect', () => {
    opened = true;
    connects++;
    open++;
    if (!state.connected) {
      state.connected = true;
      if (++slotsConnected === slots) process.stdout.write('ready\n');
    }
    if (mode === 'slowloris') {
      sock.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
      let n = 0;
      timer = setInterval(() => sock.write(`X-Slow-${n++}: y\r\n`), 200);
    }
  });
  sock.on('error', () => {});
  sock.on('close', () => {
    if (opened) open--;
    clearInterval(timer);
    setTimeout(() => slot(state), Number(process.env.RECONNECT_MS || 500));
  });
}

for (let i = 0; i < slots; i++) slot({ connected: false });
process.on('SIGTERM', () => {
  stopping = true;
  process.stdout.write(`${JSON.stringify({ connects, open, slots_connected: slotsConnected })}\n`);
  process.exit(0);
});
