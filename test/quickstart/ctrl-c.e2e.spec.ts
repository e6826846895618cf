import { spawn, spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * Ctrl-C on `npm start` with the embedded PostgreSQL: the terminal sends SIGINT to its whole
 * foreground process group. The server then finishes, closes its queue and pool, stops PostgreSQL
 * and exits 0, logging no error on the way (PostgreSQL must not be cut from under it).
 */
type Line = { level: number; msg: string };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cc-ctrl-c-'));
  await chmod(dir, 0o755);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it('stops cleanly when the whole process group gets SIGINT', async () => {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: join(dir, 'data'), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' };
  // A group of its own stands in for the terminal's foreground group.
  const server = spawn(process.execPath, ['dist/src/main.js'], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const lines: Line[] = [];
  let stderr = '';
  server.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "serving" line in 90 s: ${stderr}`)), 90_000);
    createInterface({ input: server.stdout }).on('line', (text) => {
      const line = JSON.parse(text) as Line;
      lines.push(line);
      if (line.msg === 'Course Companion is serving') {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const url = String((lines.find((l) => l.msg === 'Course Companion is serving') as Line & { url: string }).url);
  expect((await fetch(`${url}/api/v1/health`)).status).toBe(200);

  process.kill(-server.pid!, 'SIGINT');
  await expect(exited).resolves.toBe(0);
  expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  expect(lines.some((l) => l.msg === 'Shutting down: finishing in-flight requests')).toBe(true);
  expect(stderr).toBe('');
  // PostgreSQL has stopped with it (its data folder is this test's own).
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expect(spawnSync('pgrep', ['-f', join(dir, 'data', 'postgres')], { encoding: 'utf8' }).stdout).toBe('');
}, 150_000);
