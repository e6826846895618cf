/**
 * Exact LLM cost accounting in integer micro-dollars (1 USD = 1,000,000 µ$).
 * Token counts times rates (µ$ per million tokens) are summed exactly with BigInt and rounded
 * once, half-up, at the very end: rounding per category would drift on many small calls.
 */
import {
  FALLBACK_PRICE,
  MODEL_ALIASES,
  PRICE_LIST,
  type ChargeableRates,
  type PriceEntry,
  type Rates,
} from './price-list.js';

export type { PriceEntry } from './price-list.js';

/** Billed tokens by category. inputTokens excludes cache reads and writes (as Anthropic reports it). */
export type TokenUsage = {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
};

export type CostResult = {
  microUsd: number;
  priced: 'listed' | 'fallback';
  /** The model id as asked for. */
  model: string;
  /** The price-list model that priced it (aliases resolved); null when priced at the fallback. */
  pricedAs: string | null;
  /** Start of the price row used; null when priced at the fallback. */
  effectiveFrom: string | null;
  band: 'standard' | 'long_prompt';
  batch: boolean;
};

/** The subset of Anthropic's `usage` object we bill on (the SDK's Usage type fits it). */
export type AnthropicUsage = {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_creation?: { ephemeral_5m_input_tokens?: number; ephemeral_1h_input_tokens?: number } | null;
};

const TOKENS_PER_RATE_UNIT = 1_000_000n; // rates are per million tokens
const PERCENT = 100n;

/**
 * The price row for `model` in force at `at`: the latest row with effectiveFrom <= at, after
 * resolving dated aliases. Undefined when the model is unknown or `at` precedes its first row.
 */
export function priceFor(model: string, at: Date): PriceEntry | undefined {
  const when = assertDate(at);
  // hasOwn: ids like "constructor" must not reach Object.prototype.
  const family = Object.hasOwn(MODEL_ALIASES, model) ? (MODEL_ALIASES[model] ?? model) : model;
  let best: PriceEntry | undefined;
  let bestFrom = -Infinity;
  for (const entry of PRICE_LIST) {
    if (entry.model !== family) continue;
    const from = Date.parse(`${entry.effectiveFrom}T00:00:00Z`);
    if (from <= when && from > bestFrom) {
      best = entry;
      bestFrom = from;
    }
  }
  return best;
}

export function computeCost(model: string, usage: TokenUsage, options: { at: Date; batch?: boolean }): CostResult {
  const tokens = assertUsage(usage);
  const entry = priceFor(model, options.at);
  const price: ChargeableRates = entry ?? FALLBACK_PRICE;
  const batch = options.batch === true;

  // Output does not count toward the threshold, but is billed at the long rate once over it.
  const prompt = tokens.input + tokens.cacheRead + tokens.cacheWrite5m + tokens.cacheWrite1h;
  const long = price.longPrompt !== undefined && prompt > BigInt(price.longPrompt.thresholdTokens);
  const rates: Rates = long && price.longPrompt ? price.longPrompt : price;

  // Exact total in µ$ × 1e6 (tokens × µ$/MTok) ...
  const exact =
    tokens.input * BigInt(rates.input) +
    tokens.output * BigInt(rates.output) +
    tokens.cacheWrite5m * BigInt(rates.cacheWrite5m) +
    tokens.cacheWrite1h * BigInt(rates.cacheWrite1h) +
    tokens.cacheRead * BigInt(rates.cacheRead);
  // ... times the percent still payable, so the batch discount stays exact too.
  const payablePercent = PERCENT - BigInt(batch ? price.batchDiscountPercent : 0);
  const micro = divideHalfUp(exact * payablePercent, TOKENS_PER_RATE_UNIT * PERCENT);
  if (micro > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`Cost of ${micro} µ$ exceeds the safe integer range`);
  }

  return {
    microUsd: Number(micro),
    priced: entry ? 'listed' : 'fallback',
    model,
    pricedAs: entry?.model ?? null,
    effectiveFrom: entry?.effectiveFrom ?? null,
    band: long ? 'long_prompt' : 'standard',
    batch,
  };
}

/**
 * Anthropic's usage in our categories. Cache writes are split by TTL when `cache_creation` is
 * reported; otherwise all of cache_creation_input_tokens are taken as 5-minute writes.
 */
export function usageFromAnthropic(u: AnthropicUsage): TokenUsage {
  const written = u.cache_creation_input_tokens ?? 0;
  let cacheWrite5mTokens = written;
  let cacheWrite1hTokens = 0;
  if (u.cache_creation) {
    cacheWrite1hTokens = u.cache_creation.ephemeral_1h_input_tokens ?? 0;
    const split5m = u.cache_creation.ephemeral_5m_input_tokens ?? 0;
    // Should the split ever fall short of the total, bill the rest as 5m writes: never under-count.
    cacheWrite5mTokens = Math.max(split5m, written - cacheWrite1hTokens);
  }
  return {
    inputTokens: u.input_tokens,
    outputTokens: u.output_tokens,
    cacheReadTokens: u.cache_read_input_tokens ?? 0,
    cacheWrite5mTokens,
    cacheWrite1hTokens,
  };
}

function divideHalfUp(numerator: bigint, divisor: bigint): bigint {
  const quotient = numerator / divisor;
  return (numerator % divisor) * 2n >= divisor ? quotient + 1n : quotient;
}

function assertDate(at: Date): number {
  const when = at instanceof Date ? at.getTime() : Number.NaN;
  if (Number.isNaN(when)) {
    throw new RangeError('Pricing needs a valid date');
  }
  return when;
}

function assertUsage(usage: TokenUsage): Record<'input' | 'output' | 'cacheRead' | 'cacheWrite5m' | 'cacheWrite1h', bigint> {
  return {
    input: tokenCount('inputTokens', usage.inputTokens),
    output: tokenCount('outputTokens', usage.outputTokens),
    cacheRead: tokenCount('cacheReadTokens', usage.cacheReadTokens),
    cacheWrite5m: tokenCount('cacheWrite5mTokens', usage.cacheWrite5mTokens),
    cacheWrite1h: tokenCount('cacheWrite1hTokens', usage.cacheWrite1hTokens),
  };
}

function tokenCount(name: keyof TokenUsage, value: number): bigint {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative whole number (got ${value})`);
  }
  return BigInt(value);
}
