/**
 * `npm run demo:usage`: a simulated month of premium usage, so the cost report, CSV, metrics and
 * dashboard have something true to show. Priced with the real price list; deterministic (seeded
 * PRNG); idempotent (it replaces the rows it made before, tagged `demo-usage`).
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { FEATURES } from '../../common/features/index.js';
import { formatUsd } from '../../common/money/index.js';
import { hashPassword } from '../../core/index.js';
import { mulberry32 } from '../../common/random/index.js';
import { progress } from '../../common/cli/index.js';

const STUDENTS = 40;
export const DAYS = 30;
const TAG = 'demo-usage';

type UsageRow = (string | number | boolean | null)[];

export type DemoTokens = { inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWrite5mTokens: number; cacheWrite1hTokens: number };
/** Micro-dollars a call with these tokens cost at `at`: the LLM layer's price list, passed in by the caller. */
export type DemoPricer = (model: string, tokens: DemoTokens, at: Date) => number;

export async function seedDemoUsage(db: DataSource, price: DemoPricer, now = new Date()): Promise<{ rows: number; costMicro: number; students: number }> {
  const random = mulberry32(20261122);
  const hash = await hashPassword('demo-password');
  const students: string[] = [];
  for (let i = 1; i <= STUDENTS; i++) {
    const email = `demo-${String(i).padStart(2, '0')}@example.com`;
    const [row] = await db.query<{ student_id: string }[]>(
      `INSERT INTO students (email, password_hash, full_name, subscription_tier, subscription_expires_at)
       VALUES ($1, $2, $3, 'premium', now() + interval '1 year')
       ON CONFLICT ((lower(email))) DO UPDATE SET full_name = EXCLUDED.full_name RETURNING student_id`,
      [email, hash, `Demo Student ${i}`],
    );
    if (!row) throw new Error(`Could not create the demo student ${email}`);
    students.push(row.student_id);
  }
  await db.query(`DELETE FROM llm_usage_logs WHERE request_id = $1`, [TAG]);
  await db.query(`DELETE FROM premium_requests WHERE student_id = ANY($1)`, [students]);

  const usage: UsageRow[] = [];
  const requests: UsageRow[] = [];
  let costMicro = 0;
  for (let d = DAYS - 1; d >= 0; d--) {
    const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - d));
    const calls = 40 + Math.floor(random() * 60);
    for (let c = 0; c < calls; c++) {
      // A few heavy users: the first two students make a third of the calls.
      const student = random() < 0.33 ? students[Math.floor(random() * 2)]! : students[Math.floor(random() * STUDENTS)]!;
      const assessment = random() < 0.6;
      const feature = assessment ? FEATURES.assessments.name : FEATURES.adaptive_paths.name;
      const variant = assessment ? 'llm' : random() < 0.5 ? 'adaptive' : 'static';
      const model = assessment && random() < 0.5 ? 'claude-haiku-5-5' : 'claude-sonnet-5-5';
      const at = new Date(day.getTime() + Math.floor(random() * 86_400_000));
      if (at > now) continue;
      const cached = !assessment && random() < 0.4;
      const served = cached ? 'cache' : variant === 'static' ? 'rules' : 'llm';
      requests.push([randomUUID(), feature, variant, student, served, cached ? 3 : 900 + Math.floor(random() * 2000), at.toISOString()]);
      if (served !== 'llm') continue;
      const failed = random() < 0.03;
      const tokens = {
        inputTokens: 300 + Math.floor(random() * 900),
        outputTokens: failed ? 0 : 200 + Math.floor(random() * 600),
        cacheReadTokens: random() < 0.7 ? 1800 : 0,
        cacheWrite5mTokens: random() < 0.1 ? 1800 : 0,
        cacheWrite1hTokens: 0,
      };
      const cost = price(model, tokens, at);
      costMicro += cost;
      usage.push([
        randomUUID(), 1, student, feature, variant, 'anthropic', model, failed ? 'error' : 'success', !failed, failed ? 'server_error' : null,
        tokens.inputTokens, tokens.outputTokens, tokens.cacheReadTokens, tokens.cacheWrite5mTokens, formatUsd(cost),
        800 + Math.floor(random() * 2500), TAG, at.toISOString(),
      ]);
    }
  }
  const shown = progress('demo:usage writing rows', usage.length + requests.length);
  for (let i = 0; i < usage.length; i += 1000) {
    shown.update(i);
    const chunk = usage.slice(i, i + 1000);
    const cols = 18;
    await db.query(
      `INSERT INTO llm_usage_logs (call_id, attempt, student_id, feature, variant, provider, model, outcome, success, error_code,
         tokens_input, tokens_output, cache_read_tokens, cache_write_tokens, cost_usd, latency_ms, request_id, created_at)
       VALUES ${chunk.map((_, r) => `(${Array.from({ length: cols }, (_, c) => `$${r * cols + c + 1}`).join(', ')})`).join(', ')}`,
      chunk.flat(),
    );
  }
  for (let i = 0; i < requests.length; i += 1000) {
    shown.update(usage.length + i);
    const chunk = requests.slice(i, i + 1000);
    await db.query(
      `INSERT INTO premium_requests (request_id, feature, variant, student_id, source, latency_ms, created_at)
       VALUES ${chunk.map((_, r) => `(${Array.from({ length: 7 }, (_, c) => `$${r * 7 + c + 1}`).join(', ')})`).join(', ')}`,
      chunk.flat(),
    );
  }
  shown.done();
  return { rows: usage.length, costMicro, students: STUDENTS };
}
