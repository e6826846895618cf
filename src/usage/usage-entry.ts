import type { PriceSource, UsageOutcome } from './llm-usage-log.entity.js';

/** One row of the usage log: a provider call attempt and its outcome. */
export type UsageEntry = {
  callId: string;
  attempt: number;
  studentId: string | null;
  feature: string;
  referenceId: string | null;
  variant: string | null;
  provider: string;
  model: string;
  outcome: UsageOutcome;
  errorCode: string | null;
  tokensInput: number;
  tokensOutput: number;
  cacheReadTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  /** Exact dollars as a decimal string (numeric in SQL). */
  costUsd: string;
  priceSource: PriceSource;
  latencyMs: number;
  requestId: string | null;
  providerRequestId: string | null;
  /** When the call happened: the database's clock unless the row waited in the journal. */
  at?: string;
};
