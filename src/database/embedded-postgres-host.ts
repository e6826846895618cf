/**
 * Runs the embedded PostgreSQL for the process that forked it (see database-url.ts), in a process
 * group of its own. A terminal's Ctrl-C signals its whole foreground group: were PostgreSQL in it,
 * it would shut down at the same moment as the app and cut the app's connections mid-shutdown
 * (pg-boss logging "Queue error"). Here only the app gets the signal; it closes its connections,
 * then asks for the stop. If the app dies, the IPC channel closes and PostgreSQL is stopped too.
 */
import { startEmbeddedDatabase } from './embedded-postgres.js';

export type HostMessage = { type: 'ready'; url: string } | { type: 'failed'; message: string } | { type: 'log'; line: string };

function send(message: HostMessage): void {
  // PostgreSQL may still log while it stops after the app has gone.
  if (process.connected) process.send?.(message, () => undefined);
}

async function host(dataDir: string): Promise<void> {
  let db: Awaited<ReturnType<typeof startEmbeddedDatabase>>;
  try {
    db = await startEmbeddedDatabase(dataDir, (line) => send({ type: 'log', line }));
  } catch (error) {
    const failed: HostMessage = { type: 'failed', message: error instanceof Error ? error.message : String(error) };
    if (process.send) process.send(failed, () => process.exit(1));
    else process.exit(1);
    return;
  }
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= db.stop().finally(() => process.exit(0));
    return stopping;
  };
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'stop') void stop();
  });
  process.on('disconnect', () => void stop());
  send({ type: 'ready', url: db.url });
}

void host(process.argv[2] ?? '.data');
