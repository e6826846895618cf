import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A local append-only file of usage rows that could not reach PostgreSQL: each append is
 * fsynced before it returns, so a row survives a database outage and a crash of this process,
 * and is replayed into the database when it answers again (by this process, or at the next boot
 * by any process using the same directory and database).
 *
 * Files are `usage.<scope>.<pid>.<boot>.<n>.jsonl`: `scope` names the database, so rows never
 * replay into another one; a file whose process is gone is claimed by renaming it (atomic, so
 * one claimant wins) and then belongs to the claimant.
 */
export class UsageJournal<T> {
  private readonly boot = randomUUID().slice(0, 8);
  private claimed = 0;
  /** Appends and replays of this process, one at a time: the owner alone writes its files. */
  private chain: Promise<unknown> = Promise.resolve();
  private dirReady = false;

  constructor(
    private readonly dir: string,
    private readonly scope: string,
  ) {}

  private get active(): string {
    return join(this.dir, `usage.${this.scope}.${process.pid}.${this.boot}.0.jsonl`);
  }

  /** Resolves once the rows are on disk (fsynced). */
  append(rows: T[]): Promise<void> {
    return this.serially(async () => {
      if (!this.dirReady) {
        await mkdir(this.dir, { recursive: true });
        this.dirReady = true;
      }
      const file = await open(this.active, 'a', 0o600);
      try {
        await file.write(rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
        await file.datasync();
      } finally {
        await file.close();
      }
    });
  }

  /**
   * Replays this process's files and those of processes that are gone. `write` inserts one batch
   * (idempotently) and throws if the database is away, which leaves the file for the next try;
   * `rejected` rows could never be written and are dropped after being reported.
   */
  replay(write: (rows: T[]) => Promise<{ rejected: T[] }>): Promise<{ written: number; rejected: T[] }> {
    return this.serially(async () => {
      let written = 0;
      const rejected: T[] = [];
      for (const file of await this.ownFiles()) {
        const rows = await readRows<T>(file);
        if (rows.length > 0) {
          const result = await write(rows);
          written += rows.length - result.rejected.length;
          rejected.push(...result.rejected);
        }
        await unlink(file);
      }
      return { written, rejected };
    }).catch((error: unknown) => {
      if (isMissingDir(error)) return { written: 0, rejected: [] };
      throw error;
    });
  }

  /** Mine (the active file and those claimed), after claiming every file of a process that is gone. */
  private async ownFiles(): Promise<string[]> {
    const mine: string[] = [];
    for (const name of await readdir(this.dir)) {
      const parts = name.split('.');
      if (parts.length !== 6 || parts[0] !== 'usage' || parts[1] !== this.scope || parts[5] !== 'jsonl') continue;
      const [pid, boot] = [Number(parts[2]), parts[3]];
      if (pid === process.pid && boot === this.boot) {
        mine.push(join(this.dir, name));
      } else if (!alive(pid) || pid === process.pid) {
        // Same pid, another boot: this process's predecessor (a container restarted as pid 1).
        const target = join(this.dir, `usage.${this.scope}.${process.pid}.${this.boot}.${++this.claimed}.jsonl`);
        try {
          await rename(join(this.dir, name), target);
          mine.push(target);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // another process claimed it first
        }
      }
    }
    return mine;
  }

  private serially<R>(work: () => Promise<R>): Promise<R> {
    const run = this.chain.then(work, work);
    this.chain = run.catch(() => undefined);
    return run;
  }
}

async function readRows<T>(file: string): Promise<T[]> {
  const rows: T[] = [];
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    if (!line) continue;
    try {
      rows.push(JSON.parse(line) as T);
    } catch {
      // A line torn by a crash mid-append: its row never returned to its caller as written.
    }
  }
  return rows;
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isMissingDir(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
