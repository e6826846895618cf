/**
 * `npm run admin:create -- --email EMAIL [--name NAME]`: the first admin of an install (in
 * production too), or an existing account promoted. The password comes from ADMIN_PASSWORD, or is
 * asked for on a terminal without echo; it is never printed.
 */
import { parseArgs } from 'node:util';
import { read } from 'read';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '../../config/index.js';
import { loadDotEnv } from '../../config/index.js';
import { dataSourceOptions } from '../../database/index.js';
import { prepareDatabase } from '../../database/index.js';
import { resolveDatabase } from '../../database/index.js';
import { StudentsRepository } from '../../core/index.js';
import { AdminInputError, checkedEmail, createAdmin } from './create-admin.js';

const USAGE = 'usage: npm run admin:create -- --email EMAIL [--name NAME]   (password from ADMIN_PASSWORD, or asked on a terminal)';

async function askPassword(): Promise<string> {
  const fromEnv = process.env['ADMIN_PASSWORD'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY) throw new AdminInputError('set ADMIN_PASSWORD, or run this on a terminal to be asked for the password');
  const first = await read({ prompt: 'Password for the new admin: ', silent: true, replace: '' });
  const again = await read({ prompt: 'Same password again: ', silent: true, replace: '' });
  if (first !== again) throw new AdminInputError('the two passwords differ');
  return first;
}

async function main(): Promise<void> {
  let values: { email?: string; name?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    throw new AdminInputError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.email) throw new AdminInputError('--email is required');
  const email = await checkedEmail(values.email);

  loadDotEnv();
  const config = loadConfig(process.env);
  const database = await resolveDatabase(config, () => undefined);
  try {
    // The schema as the app would make it at boot (under the same lock), so this may run first.
    await prepareDatabase(database.url, { ...config, SEED_ON_START: false });
    const db = await new DataSource(dataSourceOptions(database.url, 1)).initialize();
    try {
      const result = await createAdmin(new StudentsRepository(db), { email, name: values.name ?? 'Administrator', password: askPassword });
      const said = {
        created: `Created admin account ${result.email} (${result.studentId}).`,
        promoted: `Promoted ${result.email} (${result.studentId}) to admin; its password is unchanged.`,
        unchanged: `${result.email} (${result.studentId}) is already an admin; nothing changed.`,
      };
      console.log(said[result.outcome]);
    } finally {
      await db.destroy();
    }
  } finally {
    await database.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof AdminInputError) {
      console.error(`admin:create: ${error.message}\n${USAGE}`);
      process.exit(2);
    }
    console.error(`admin:create failed: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
