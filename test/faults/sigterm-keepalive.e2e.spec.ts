import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { TEST_JWT_SECRET } from '../support/test-app.js';
import { exited, kill, waitFor } from './support/processes.js';

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
  let server: ChildProcess | undefined;
  const log: { msg?: string; url?: string }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    server = spawn(process.execPath, ['dist/src/main.js'], {
      env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0', DATABASE_URL: db.url, JWT_SECRET_KEY: TEST_JWT_SECRET },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    createInterface({ input: server.stdout! }).on('line', (line) => {
      try {
        log.push(JSON.parse(line) as { msg?: string; url?: string });
      } catch {
        // not a log line
      }
    });
  });
  afterAll(async () => {
    await kill(server);
    await db?.drop();
  });

  it('answers the request on the idle connection (Connection: close), no reset, then exits 0', async () => {
    const serving = await waitFor('the server to listen', () => log.find((l) => l.msg === 'Course Companion is serving')?.url, 30_000);
    const base = serving.replace('0.0.0.0', '127.0.0.1');
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect(await get(`${base}/api/v1/health`, agent)).toMatchObject({ status: 200 });

    const exit = exited(server!);
    server!.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 150));
    const answer = await get(`${base}/api/v1/health`, agent);
    process.stderr.write(`sigterm keep-alive: ${JSON.stringify(answer)}\n`);
    expect(answer).toEqual({ status: 200, connection: 'close' });
    expect(await exit).toEqual({ code: 0, signal: null });
    agent.destroy();
  }, 40_000);
});
