// Preloaded into the app's process by the load benchmarks (`node --import <this> dist/src/main.js`):
// times every HTTP request inside the server, from Node's `request` event (headers parsed) to the
// response's `finish` (last byte handed to the socket), through the diagnostics channels Node
// publishes anyway. Nothing in the app changes; the benchmark reads the samples over the IPC
// channel, which keeps the figures free of the load generator's own queueing.
import { subscribe } from 'node:diagnostics_channel';

const started = new WeakMap();
/** `METHOD /path` → durations in ms, in the order the responses finished. */
let samples = new Map();
let recording = true;

subscribe('http.server.request.start', ({ request }) => {
  if (recording) started.set(request, process.hrtime.bigint());
});

subscribe('http.server.response.finish', ({ request, response }) => {
  const t0 = started.get(request);
  if (t0 === undefined) return;
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const path = (request.url ?? '').split('?')[0];
  const key = `${request.method} ${path} ${response.statusCode >= 200 && response.statusCode < 300 ? '2xx' : response.statusCode}`;
  let list = samples.get(key);
  if (!list) samples.set(key, (list = []));
  list.push(ms);
});

if (process.send) {
  process.on('message', (message) => {
    if (!message || typeof message !== 'object' || typeof message.timingRequest !== 'string') return;
    const { id, timingRequest } = message;
    if (timingRequest === 'reset') {
      samples = new Map();
      recording = true;
      process.send({ id, ok: true });
    } else if (timingRequest === 'stop') {
      samples = new Map();
      recording = false;
      process.send({ id, ok: true });
    } else if (timingRequest === 'get') {
      const out = {};
      for (const [key, list] of samples) out[key] = list.map((v) => Math.round(v * 1000) / 1000);
      process.send({ id, samples: out });
    } else if (timingRequest === 'memory') {
      process.send({ id, memory: process.memoryUsage() });
    }
  });
  // The channel must not keep the app alive on its own, nor change how it shuts down.
  process.channel?.unref();
}
