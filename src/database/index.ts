/** Public API of database: the TypeORM module and options, the database resolver and setup. */
export { dataSourceOptions } from './data-source-options.js';
export { prepareDatabase } from './database-setup.js';
export { resolveDatabase } from './database-url.js';
export { DatabaseModule } from './database.module.js';
