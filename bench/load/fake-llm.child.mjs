// The fake Anthropic Messages API (test/fakes/anthropic, compiled to dist/test/fakes/anthropic) in a process of its own,
// answering at once, so its event loop competes neither with the load generator nor with the app.
// It times its own handler for every request (body read → JSON answer sent) and hands the figures,
// and the last request it received, to the parent over IPC.
import { FakeAnthropicServer } from '../../dist/test/fakes/anthropic/index.js';

const fake = await FakeAnthropicServer.start();
let durations = [];
let last;

// `handle` is the per-request entry the fake's HTTP server calls: wrap it on the instance.
const handle = fake.handle;
fake.handle = function timed(req, res) {
  const t0 = process.hrtime.bigint();
  res.once('finish', () => durations.push(Number(process.hrtime.bigint() - t0) / 1e6));
  return handle.call(this, req, res);
};

// The fake keeps every request for test assertions; a long benchmark must not keep them all.
setInterval(() => {
  if (fake.requests.length > 0) last = fake.requests.at(-1);
  fake.requests.length = 0;
}, 1000).unref();

process.on('message', (message) => {
  const { id, cmd } = message ?? {};
  if (cmd === 'reset') {
    durations = [];
    process.send({ id, ok: true });
  } else if (cmd === 'get') {
    process.send({ id, durations: durations.map((v) => Math.round(v * 1000) / 1000) });
  } else if (cmd === 'last-request') {
    const request = fake.requests.at(-1) ?? last;
    process.send({ id, request: request ? { headers: request.headers, body: request.body } : null });
  } else if (cmd === 'close') {
    void fake.close().then(() => process.exit(0));
  }
});
process.on('disconnect', () => void fake.close().then(() => process.exit(0)));

process.send({ ready: true, url: fake.url });
