/**
 * `npm run demo:usage`: a simulated month of premium usage, so the cost report, CSV, metrics and
 * dashboard have something true to show. Priced with the real price list; deterministic (seeded
 * PRNG); idempotent (it replaces the rows it made before, tagged `demo-usage`).
 */
import { randomUUID } from 'node:crypto';
import { progress } from '../../common/cli/index.js';
import { FEATURES } from '../../common/features/index.js';
import { formatUsd } from '../../common/money/index.js';
import { mulberry32 } from '../../common/random/index.js';
import { hashPassword, type StudentsRepository } from '../../core/index.js';
import type { PremiumRequestRow, PremiumRequestsRepository, UsageEntry, UsageLogRepository } from '../../usage/index.js';

const STUDENTS = 40;
export const DAYS = 30;
const TAG = 'demo-usage';

/** Where the demo writes: the owners' repositories of the accounts, the usage log and the request records. */
export type DemoRepositories = { students: StudentsRepository; usage: UsageLogRepository; requests: PremiumRequestsRepository };

export type DemoTokens = { inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWrite5mTokens: number; cacheWrite1hTokens: number };
/** Micro-dollars a call with these tokens cost at `at`: the LLM layer's price list, passed in by the caller. */
export type DemoPricer = (model: string, tokens: DemoTokens, at: Date) => number;

export async function seedDemoUsage(repos: DemoRepositories, price: DemoPricer, now = new Date()): Promise<{ rows: number; costMicro: number; students: number }> {
  const random = mulberry32(20261122);
  const hash = await hashPassword('demo-password');
  const students: string[] = [];
  const yearAfter = new Date(now);
  yearAfter.setUTCFullYear(yearAfter.getUTCFullYear() + 1);
  for (let i = 1; i <= STUDENTS; i++) {
    const email = `demo-${String(i).padStart(2, '0')}@example.com`;
    const account = { email, passwordHash: hash, fullName: `Demo Student ${i}`, subscriptionTier: 'premium' as const, subscriptionExpiresAt: yearAfter };
    // A demo account made by an earlier run is used as it is.
    const id = (await repos.students.insertUnlessPresent(account)) ?? (await repos.students.findAccountByEmail(email))?.studentId;
    if (!id) throw new Error(`Could not create the demo student ${email}`);
    students.push(id);
  }
  await repos.usage.deleteByRequestId(TAG);
  await repos.requests.deleteForStudents(students);

  const usage: UsageEntry[] = [];
  const requests: PremiumRequestRow[] = [];
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
      requests.push({ feature, variant, studentId: student, source: served, latencyMs: cached ? 3 : 900 + Math.floor(random() * 2000), at });
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
      usage.push({
        callId: randomUUID(),
        attempt: 1,
        studentId: student,
        feature,
        referenceId: null,
        variant,
        provider: 'anthropic',
        model,
        outcome: failed ? 'error' : 'success',
        errorCode: failed ? 'server_error' : null,
        tokensInput: tokens.inputTokens,
        tokensOutput: tokens.outputTokens,
        cacheReadTokens: tokens.cacheReadTokens,
        cacheWrite5mTokens: tokens.cacheWrite5mTokens,
        cacheWrite1hTokens: tokens.cacheWrite1hTokens,
        costUsd: formatUsd(cost),
        priceSource: 'listed',
        latencyMs: 800 + Math.floor(random() * 2500),
        requestId: TAG,
        providerRequestId: null,
        at: at.toISOString(),
      });
    }
  }
  const shown = progress('demo:usage writing rows', usage.length + requests.length);
  await repos.usage.insertMany(usage, (written) => shown.update(written));
  shown.update(usage.length);
  await repos.requests.insertMany(requests);
  shown.done();
  return { rows: usage.length, costMicro, students: STUDENTS };
}
