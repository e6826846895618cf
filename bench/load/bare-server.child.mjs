// The reference point: a bare Fastify server, in a process of its own, answering
// GET /api/v1/chapters with the very bytes the app served. Usage: node bare-server.child.mjs <body-file> <content-type>
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const [bodyFile, contentType] = process.argv.slice(2);
const body = readFileSync(bodyFile);

const app = Fastify({ logger: false });
app.get('/api/v1/chapters', (_request, reply) => {
  void reply.header('content-type', contentType).send(body);
});
const address = await app.listen({ port: 0, host: '127.0.0.1' });

process.on('message', (message) => {
  if (message?.cmd === 'close') void app.close().then(() => process.exit(0));
});
process.on('disconnect', () => void app.close().then(() => process.exit(0)));
process.send({ ready: true, url: address });
