import type { z } from 'zod';
import type { LlmError } from './llm.errors.js';
import type { TokenUsage } from './pricing/cost-calculator.js';

export type LlmProviderName = 'anthropic' | 'openai-compatible' | 'rules';

/** The LLM features; each has its own model setting and usage-log label. */
export type LlmFeature = 'adaptive_paths' | 'assessments';

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

export interface LlmAdapter {
  readonly provider: LlmProviderName;
  /** How many SDK clients this adapter has constructed (they are made on first use). */
  readonly clientsCreated: number;
  call<T>(request: LlmRequest<T>, model: string, signal: AbortSignal): Promise<AdapterResponse<T>>;
}
