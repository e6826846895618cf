/**
 * The data source the TypeORM CLI uses for `npm run migration:generate` (which diffs the entities
 * against a live schema). It needs DATABASE_URL: a throwaway database is the usual choice.
 */
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/index.js';
import { loadDotEnv } from '../config/index.js';
import { projectRoot } from '../common/paths/index.js';
import { dataSourceOptions } from './data-source-options.js';

loadDotEnv();
const { DATABASE_URL } = loadConfig(process.env);
if (!DATABASE_URL) throw new Error('migration:generate needs DATABASE_URL (a database migrated to the latest schema)');

export default new DataSource({
  ...dataSourceOptions(DATABASE_URL, 1),
  entities: [join(projectRoot(), 'dist/src/**/*.entity.js')],
});
