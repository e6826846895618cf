import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { TEST_JWT_SECRET } from '../../support/test-secret.js';
import { waitFor } from './processes.js';

export type LogLine = { msg?: string; url?: string };

export type ServerProcess = {
  child: ChildProcess;
  /** Every JSON log line the server has written to stdout so far. */
  log: LogLine[];
  /** Waits for the "serving" log line and returns its address, reachable on 127.0.0.1. */
  serving: (timeoutMs: number) => Promise<string>;
};

/**
 * The real server process (dist/src/main.js) on a port of its own choosing, logging JSON at info:
 * the signal and crash suites need a process they can kill, which an in-process app is not.
 */
export function spawnServer(env: Record<string, string>, stderr: 'inherit' | 'ignore'): ServerProcess {
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0', JWT_SECRET_KEY: TEST_JWT_SECRET, ...env },
    stdio: ['ignore', 'pipe', stderr],
  });
  const log: LogLine[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      log.push(JSON.parse(line) as LogLine);
    } catch {
      // not a log line
    }
  });
  const serving = async (timeoutMs: number) => {
    const url = await waitFor('the server to listen', () => log.find((l) => l.msg === 'Course Companion is serving')?.url, timeoutMs);
    return url.replace('0.0.0.0', '127.0.0.1');
  };
  return { child, log, serving };
}

/** Signs in over plain fetch (a spawned server has no supertest handle) and returns the bearer token. */
export async function fetchToken(base: string, credentials: { email: string; password: string }): Promise<string> {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  return ((await login.json()) as { access_token: string }).access_token;
}

/** The env that points the real Anthropic SDK at a fake server, failing fast (no SDK retries, 10 s timeout). */
export const fakeModelEnv = (fakeUrl: string): Record<string, string> => ({
  ANTHROPIC_API_KEY: 'test-key',
  ANTHROPIC_BASE_URL: fakeUrl,
  ANTHROPIC_MAX_RETRIES: '0',
  ANTHROPIC_TIMEOUT: '10',
});

/** Asks a spawned server for a freshly built adaptive path (one model call, one unit). */
export function fetchForcedPath(base: string, token: string): Promise<Response> {
  return fetch(`${base}/api/v2/adaptive/path`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ force_refresh: true }),
  });
}
