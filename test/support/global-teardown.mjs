import pg from 'pg';

export default async function globalTeardown() {
  const template = process.env.TEST_PG_TEMPLATE;
  if (template && process.env.TEST_PG_ADMIN_URL) {
    const admin = new pg.Client({ connectionString: process.env.TEST_PG_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${template} WITH IS_TEMPLATE false`);
      await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    } finally {
      await admin.end();
    }
  }
  await globalThis.__embeddedPg?.stop();
}
