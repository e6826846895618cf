import type { AppConfig } from '../config/index.js';

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
  const { startEmbeddedDatabase } = await withoutNewSignalHandlers(() => import('./embedded-postgres.js'));
  const db = await startEmbeddedDatabase(config.DATA_DIR, log);
  return { url: db.url, embedded: true, stop: db.stop };
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
