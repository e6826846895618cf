import { Agent, request } from 'node:http';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { exited, kill } from './support/processes.js';
import { spawnServer, type ServerProcess } from './support/server-process.js';

type Answer = { status: number; connection: string | undefined } | { error: string };

function get(url: string, agent: Agent): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end();
  });
}

/** A client with an idle keep-alive connection sends a request just after the server got SIGTERM. */
describe('SIGTERM with idle keep-alive connections', () => {
  let db: TestDatabase | undefined;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = spawnServer({ DATABASE_URL: db.url }, 'ignore');
  });
  afterAll(async () => {
    await kill(server?.child);
    await db?.drop();
  });

  it('answers the request on the idle connection (Connection: close), no reset, then exits 0', async () => {
    const base = await server!.serving(30_000);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect(await get(`${base}/api/v1/health`, agent)).toMatchObject({ status: 200 });

    const exit = exited(server!.child);
    server!.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 150));
    const answer = await get(`${base}/api/v1/health`, agent);
    process.stderr.write(`sigterm keep-alive: ${JSON.stringify(answer)}\n`);
    expect(answer).toEqual({ status: 200, connection: 'close' });
    expect(await exit).toEqual({ code: 0, signal: null });
    agent.destroy();
  }, 40_000);
});
