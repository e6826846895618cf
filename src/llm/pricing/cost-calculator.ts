/**
 * Exact LLM cost accounting in integer micro-dollars (1 USD = 1,000,000 µ$).
 * Token counts times rates (µ$ per million tokens) are summed exactly with BigInt and rounded
 * once, half-up, at the very end: rounding per category would drift on many small calls.
 */
import {
  FALLBACK_PRICE,
  INFERENCE_GEO_PERCENT,
  MODEL_ALIASES,
  PRICE_LIST,
  SERVER_TOOL_MICRO_USD,
  SPEED_PERCENT,
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
  /** Server tool uses billed per request (web search); web fetch is billed as tokens only. */
  webSearchRequests?: number;
  webFetchRequests?: number;
  /** Where inference ran ("global", "us"); "us" bills every token category at 1.1×. */
  inferenceGeo?: string | null;
  /** "fast" bills at the fast-mode premium. */
  speed?: string | null;
  /** "batch" bills at the model's batch discount. */
  serviceTier?: string | null;
};

/**
 * How a call was priced: from the list, at the highest known rate (unlisted Claude model), at the
 * LLM_PRICE_* settings, or at $0 for a local model nobody configured a price for.
 */
export type PricedBy = 'listed' | 'fallback' | 'configured' | 'local';

export type PriceOverride = { rates: ChargeableRates; priced: 'configured' | 'local' };

export type CostResult = {
  microUsd: number;
  priced: PricedBy;
  /** The model id as asked for. */
  model: string;
  /** The price-list model that priced it (aliases resolved); null when priced at the fallback. */
  pricedAs: string | null;
  /** Start of the price row used; null when priced at the fallback. */
  effectiveFrom: string | null;
  band: 'standard' | 'long_prompt';
  batch: boolean;
  /** Usage values the price list does not know, priced at their highest known multiplier. */
  warnings: string[];
};

/** The subset of Anthropic's `usage` object we bill on (the SDK's Usage type fits it). */
export type AnthropicUsage = {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_creation?: { ephemeral_5m_input_tokens?: number; ephemeral_1h_input_tokens?: number } | null;
  server_tool_use?: { web_search_requests?: number; web_fetch_requests?: number } | null;
  inference_geo?: string | null;
  service_tier?: string | null;
  speed?: string | null;
};

/**
 * Every field of the SDK's Usage type and how it reaches the bill; a field outside this list is
 * one the price list has not been checked against (usageFieldWarnings names it).
 */
export const KNOWN_USAGE_FIELDS: ReadonlySet<string> = new Set([
  'input_tokens',
  'output_tokens',
  'cache_read_input_tokens',
  'cache_creation_input_tokens',
  'cache_creation',
  'server_tool_use',
  'inference_geo',
  'service_tier',
  'speed',
  // A breakdown of output_tokens (thinking), not billed on its own.
  'output_tokens_details',
]);

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

export function computeCost(
  model: string,
  usage: TokenUsage,
  options: { at: Date; batch?: boolean; override?: PriceOverride; preferOverride?: boolean },
): CostResult {
  const tokens = assertUsage(usage);
  const listed = options.preferOverride && options.override ? undefined : priceFor(model, options.at);
  const price: ChargeableRates = listed ?? options.override?.rates ?? FALLBACK_PRICE;
  const priced: PricedBy = listed ? 'listed' : (options.override?.priced ?? 'fallback');
  const batch = options.batch === true || usage.serviceTier === 'batch';
  const warnings: string[] = [];

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
  // ... times the percents still payable (batch discount, data residency, speed), kept exact too.
  const payablePercent = PERCENT - BigInt(batch ? price.batchDiscountPercent : 0);
  const geoPercent = BigInt(multiplier(INFERENCE_GEO_PERCENT, usage.inferenceGeo, 'inference_geo', warnings));
  const speedPercent = BigInt(multiplier(SPEED_PERCENT, usage.speed, 'speed', warnings));
  if (usage.serviceTier && !['standard', 'priority', 'batch'].includes(usage.serviceTier)) {
    warnings.push(`service_tier ${JSON.stringify(usage.serviceTier)} is not in the price list; priced at standard rates`);
  }
  const tokenMicro = divideHalfUp(exact * payablePercent * geoPercent * speedPercent, TOKENS_PER_RATE_UNIT * PERCENT * PERCENT * PERCENT);
  const toolMicro =
    BigInt(count('webSearchRequests', usage.webSearchRequests)) * BigInt(SERVER_TOOL_MICRO_USD.webSearch) +
    BigInt(count('webFetchRequests', usage.webFetchRequests)) * BigInt(SERVER_TOOL_MICRO_USD.webFetch);
  const micro = priced === 'local' ? 0n : tokenMicro + toolMicro;
  if (micro > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`Cost of ${micro} µ$ exceeds the safe integer range`);
  }

  return {
    microUsd: Number(micro),
    priced,
    model,
    pricedAs: listed?.model ?? null,
    effectiveFrom: listed?.effectiveFrom ?? null,
    band: long ? 'long_prompt' : 'standard',
    batch,
    warnings,
  };
}

/** A reported value's percent; an unknown one gets the highest of its kind, never less. */
function multiplier(table: Readonly<Record<string, number>>, value: string | null | undefined, field: string, warnings: string[]): number {
  if (value === undefined || value === null) return 100;
  if (Object.hasOwn(table, value)) return table[value]!;
  warnings.push(`${field} ${JSON.stringify(value)} is not in the price list; priced at the highest ${field} multiplier`);
  return Math.max(...Object.values(table));
}

/** Names the usage fields the API sent that the price list has not been checked against. */
export function unknownUsageFields(usage: object): string[] {
  return Object.keys(usage).filter((key) => !KNOWN_USAGE_FIELDS.has(key));
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
    ...(u.server_tool_use?.web_search_requests && { webSearchRequests: u.server_tool_use.web_search_requests }),
    ...(u.server_tool_use?.web_fetch_requests && { webFetchRequests: u.server_tool_use.web_fetch_requests }),
    ...(u.inference_geo && { inferenceGeo: u.inference_geo }),
    ...(u.speed && { speed: u.speed }),
    ...(u.service_tier && { serviceTier: u.service_tier }),
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

function count(name: keyof TokenUsage, value: number | undefined): number {
  if (value === undefined) return 0;
  return Number(tokenCount(name, value));
}

function tokenCount(name: keyof TokenUsage, value: number): bigint {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative whole number (got ${value})`);
  }
  return BigInt(value);
}
