import type { z } from 'zod';
import type { LlmFeature } from '../common/features/index.js';
import type { LlmError } from './llm.errors.js';
import type { TokenUsage } from './pricing/cost-calculator.js';

export type LlmProviderName = 'anthropic' | 'openai-compatible' | 'rules';

export type LlmRequest<T> = {
  feature: LlmFeature;
  /**
   * The stable prefix (system prompt, rubric, catalog), sent as cached blocks. It must hold no
   * student data: it is shared by every student's calls.
   */
  system: string[];
  /** The per-call part. Student text goes here, wrapped by `asData()`. */
  input: string;
  /** Sent as the structured-output schema and used again to validate the answer. */
  schema: z.ZodType<T>;
  maxTokens: number;
  /** The deterministic answer: what the `rules` provider returns, and the fallback when the model fails. */
  fallback?: () => T;
  /**
   * Overall deadline for the call, queueing and retries included. Without one, each attempt is
   * still bounded by ANTHROPIC_TIMEOUT and the retries by ANTHROPIC_MAX_RETRIES.
   */
  deadlineMs?: number;
  /** Aborts the call (queueing and retries too), e.g. when the client who asked has gone. */
  signal?: AbortSignal;
  /**
   * Streams the answer: called with the structured output parsed so far (a partial object whose
   * last string may be cut short) each time the model sends text. An attempt that has streamed
   * anything is not retried: its text has already reached the caller.
   */
  onPartial?: (partial: unknown) => void;
};

/** Who is billed; travels beside the prompt, never inside it. */
export type BillingContext = {
  studentId: string | null;
  referenceId?: string | null;
  requestId?: string | null;
  /** The feature-flag variant, stored on each usage row. */
  variant?: string | null;
};

export type LlmUsage = TokenUsage & { costMicroUsd: number };

export type LlmResult<T> = {
  value: T;
  /** `llm`: the model answered; `rules`: no model is configured; `fallback`: the model failed. */
  source: 'llm' | 'rules' | 'fallback';
  provider: LlmProviderName;
  model: string;
  usage: LlmUsage;
  attempts: number;
  latencyMs: number;
  callId: string;
  /** Why the fallback was used. */
  error?: LlmError;
};

export interface LlmClient {
  readonly provider: LlmProviderName;
  complete<T>(request: LlmRequest<T>, billing: BillingContext): Promise<LlmResult<T>>;
}

/** What one provider call returns, before resilience, accounting and fallbacks. */
export type AdapterResponse<T> = { value: T; usage: TokenUsage; providerRequestId?: string };

/** The credentials check at boot: `invalid` only when the provider refused the key itself. */
export type AuthCheck = { status: 'ok' | 'invalid' | 'unknown'; detail?: string };

export interface LlmAdapter {
  readonly provider: LlmProviderName;
  /** How many SDK clients this adapter has constructed (they are made on first use). */
  readonly clientsCreated: number;
  call<T>(request: LlmRequest<T>, model: string, signal: AbortSignal): Promise<AdapterResponse<T>>;
  /** Checks the credentials without spending tokens (absent: nothing to check). */
  checkAuth?(signal: AbortSignal): Promise<AuthCheck>;
  /** Message Batches (absent: the provider has none). */
  readonly batches?: BatchAdapter;
}

/** One request of a batch, named by the caller's id. */
export type BatchItem<T> = { customId: string; request: LlmRequest<T>; billing: BillingContext };

/** What one batch request came back as: the adapter's answer, or why it has none. */
export type BatchOutcome<T> = { customId: string } & ({ ok: true; response: AdapterResponse<T> } | { ok: false; error: LlmError });

export interface BatchAdapter {
  create(items: BatchItem<unknown>[], model: string): Promise<string>;
  /** `in_progress` until the batch has ended; then every item's outcome. */
  results<T>(batchId: string, requests: ReadonlyMap<string, LlmRequest<T>>): Promise<'in_progress' | BatchOutcome<T>[]>;
}
