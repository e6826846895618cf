import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AppConfig } from '../config/index.js';
import type { HostMessage } from './embedded-postgres-host.js';

export type ResolvedDatabase = { url: string; embedded: boolean; stop: () => Promise<void> };

/**
 * DATABASE_URL when it is set; otherwise an embedded PostgreSQL under DATA_DIR (development only:
 * production refuses to start without DATABASE_URL). The package is loaded only when needed.
 */
export async function resolveDatabase(
  config: Pick<AppConfig, 'DATABASE_URL' | 'DATA_DIR'>,
  log: (line: string) => void,
): Promise<ResolvedDatabase> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: false, stop: () => Promise.resolve() };
  const host = new URL('./embedded-postgres-host.js', import.meta.url);
  // Compiled, the server runs in a host process of its own (see embedded-postgres-host.ts); run
  // from the TypeScript sources (the tests), in this process.
  if (host.pathname.includes('/dist/')) return hostedDatabase(fileURLToPath(host), config.DATA_DIR, log);
  const { startEmbeddedDatabase } = await withoutNewSignalHandlers(() => import('./embedded-postgres.js'));
  const db = await startEmbeddedDatabase(config.DATA_DIR, log);
  return { url: db.url, embedded: true, stop: db.stop };
}

/** Forks the host, detached (its own process group), and waits for its URL. */
function hostedDatabase(hostPath: string, dataDir: string, log: (line: string) => void): Promise<ResolvedDatabase> {
  const child = fork(hostPath, [dataDir], { detached: true, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the embedded PostgreSQL host exited (${code}) before it was ready`)));
    child.on('message', (message: HostMessage) => {
      if (message.type === 'log') log(message.line);
      else if (message.type === 'failed') reject(new Error(message.message));
      else {
        // Once ready, the open IPC channel must not keep a finished CLI command alive.
        child.unref();
        child.channel?.unref();
        resolve({
          url: message.url,
          embedded: true,
          stop: async () => {
            // Waiting for the host must keep this process alive again.
            child.ref();
            child.channel?.ref();
            if (child.exitCode === null && child.connected) child.send({ type: 'stop' });
            await exited;
          },
        });
      }
    });
  });
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * embedded-postgres installs signal handlers that stop the server and exit at once (code 143).
 * The app owns shutdown instead: it drains HTTP first, then stops the database, then exits 0.
 */
async function withoutNewSignalHandlers<T>(load: () => Promise<T>): Promise<T> {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const loaded = await load();
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return loaded;
}
