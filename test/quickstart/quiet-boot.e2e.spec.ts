import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * What an operator sees starting the built server at the default level: a few lines of ours, not
 * a line per Nest module, controller and route (those are at debug).
 */
type Line = { level: number; msg: string; context?: string };
const NEST_BOOTSTRAP = ['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication'];

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

/** Starts the built server, collects its log lines until it serves, then stops it with SIGTERM. */
function bootLines(logLevel: string): Promise<Line[]> {
  return new Promise((resolve, reject) => {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: database.url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: logLevel, JWT_SECRET_KEY: 'x'.repeat(40) };
    const server = spawn(process.execPath, ['dist/src/main.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Line[] = [];
    let stderr = '';
    server.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      server.kill('SIGKILL');
      reject(new Error(`no "serving" line in 60 s: ${stderr}`));
    }, 60_000);
    server.once('exit', () => {
      clearTimeout(timer);
      resolve(lines);
    });
    createInterface({ input: server.stdout }).on('line', (text) => {
      const line = JSON.parse(text) as Line;
      lines.push(line);
      if (line.msg === 'Course Companion is serving') server.kill('SIGTERM');
    });
  });
}

it('boots at info in a handful of lines, none of them Nest bootstrap chatter', async () => {
  const lines = await bootLines('info');
  const serving = lines.findIndex((l) => l.msg === 'Course Companion is serving');
  expect(serving).toBeGreaterThan(0);
  expect(lines.slice(0, serving + 1).length).toBeLessThanOrEqual(8);
  expect(lines.filter((l) => l.context && NEST_BOOTSTRAP.includes(l.context))).toEqual([]);
  expect(lines.filter((l) => l.level >= 50)).toEqual([]);
}, 90_000);

it('still has the route map at debug', async () => {
  const lines = await bootLines('debug');
  const mapped = lines.filter((l) => l.context === 'RouterExplorer');
  expect(mapped.length).toBeGreaterThan(20);
  expect(mapped.every((l) => l.level === 20)).toBe(true);
}, 90_000);
