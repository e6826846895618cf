// Measures `npm start` from a cold process to the first served request, on a bare machine
// (no DATABASE_URL: embedded PostgreSQL), first with an empty DATA_DIR (initdb + migrations +
// seed), then again on the same data. Run `npm run build` first; `npm run bench:cold-start`.
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

async function start(dataDir) {
  const started = performance.now();
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        const entry = JSON.parse(line);
        if (entry.msg === 'Course Companion is serving') resolve(entry.url);
      } catch {
        // not JSON
      }
    });
  });
  const res = await fetch(`${url}/api/v1/health`);
  if (!res.ok) throw new Error(`health answered ${res.status}`);
  const elapsed = performance.now() - started;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  return elapsed;
}

const dir = await mkdtemp(join(tmpdir(), 'cc-bench-start-'));
await chmod(dir, 0o755);
try {
  const first = await start(join(dir, 'data'));
  const warm = [];
  for (let i = 0; i < 3; i++) warm.push(await start(join(dir, 'data')));
  warm.sort((a, b) => a - b);
  console.log(`cold start, empty DATA_DIR (initdb + migrate + seed): ${first.toFixed(0)} ms`);
  console.log(`start on existing data (median of 3):                 ${warm[1].toFixed(0)} ms`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
