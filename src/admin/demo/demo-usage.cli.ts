/** `npm run demo:usage`: writes a simulated month of premium usage (see demo-usage.ts). */
import { DataSource } from 'typeorm';
import { loadConfig } from '../../config/index.js';
import { loadDotEnv } from '../../config/index.js';
import { dataSourceOptions } from '../../database/index.js';
import { resolveDatabase } from '../../database/index.js';
import { formatUsd } from '../../common/money/index.js';
import { StudentsRepository } from '../../core/index.js';
import { computeCost } from '../../llm/index.js';
import { PremiumRequestsRepository, UsageLogRepository } from '../../usage/index.js';
import { DAYS, seedDemoUsage } from './demo-usage.js';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig(process.env);
  if (config.NODE_ENV === 'production') throw new Error('demo:usage writes made-up usage; it refuses to run with NODE_ENV=production');
  const database = await resolveDatabase(config, () => undefined);
  const db = await new DataSource(dataSourceOptions(database.url, 2)).initialize();
  try {
    const repos = { students: new StudentsRepository(db), usage: new UsageLogRepository(db), requests: new PremiumRequestsRepository(db) };
    const r = await seedDemoUsage(repos, (model, tokens, at) => computeCost(model, tokens, { at }).microUsd);
    console.log(`Simulated ${DAYS} days: ${r.rows} LLM calls by ${r.students} demo students, $${formatUsd(r.costMicro)} in all.`);
  } finally {
    await db.destroy();
    await database.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
