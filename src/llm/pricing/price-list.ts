/**
 * Effective-dated LLM prices. Every rate is an integer number of micro-dollars per million tokens
 * ($2.50/MTok = 2_500_000), so cost arithmetic never touches binary floating point.
 * Data only: the lookup and the arithmetic live in cost-calculator.ts.
 */

/** 'YYYY-MM-DD', read as midnight UTC. */
export type IsoDate = string;

/** Micro-dollars per million tokens, one rate per billed token category. */
export type Rates = {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
};

/**
 * Once a request's prompt (input + cache reads + cache writes) exceeds thresholdTokens, every
 * token of that request, output included, is billed at these rates instead.
 */
export type LongPromptRates = Rates & { thresholdTokens: number };

export type PriceEntry = Rates & {
  /** Exact API model id (a family id; dated ids reach it through MODEL_ALIASES). */
  model: string;
  effectiveFrom: IsoDate;
  source: string;
  checkedOn: IsoDate;
  /** Message Batches discount, applied to every category. */
  batchDiscountPercent: number;
  longPrompt?: LongPromptRates;
  deprecated?: { retiresOn: IsoDate; source: string };
};

/** The rates the calculator needs, shared by listed rows and FALLBACK_PRICE. */
export type ChargeableRates = Pick<PriceEntry, keyof Rates | 'batchDiscountPercent' | 'longPrompt'>;

const PRICING = 'https://platform.claude.com/docs/en/about-claude/pricing';
const DEPRECATIONS = 'https://platform.claude.com/docs/en/about-claude/model-deprecations';
const CHECKED_ON = '2026-11-22';
/** Stand-in start for rows whose real start date we were not given: before any use here. */
const LONG_AGO = '2025-01-01';

export const PRICE_LIST: readonly PriceEntry[] = [
  {
    model: 'claude-sonnet-5-5',
    effectiveFrom: '2026-09-01',
    source: PRICING,
    checkedOn: CHECKED_ON,
    input: 2_000_000,
    output: 10_000_000,
    cacheWrite5m: 2_500_000,
    cacheWrite1h: 4_000_000,
    cacheRead: 200_000,
    batchDiscountPercent: 50,
  },
  {
    // Cache reads halved; everything else unchanged.
    model: 'claude-sonnet-5-5',
    effectiveFrom: '2026-10-07',
    source: PRICING,
    checkedOn: CHECKED_ON,
    input: 2_000_000,
    output: 10_000_000,
    cacheWrite5m: 2_500_000,
    cacheWrite1h: 4_000_000,
    cacheRead: 100_000,
    batchDiscountPercent: 50,
  },
  {
    model: 'claude-haiku-5-5',
    effectiveFrom: '2026-10-07',
    source: PRICING,
    checkedOn: CHECKED_ON,
    input: 100_000,
    output: 500_000,
    cacheWrite5m: 125_000,
    cacheWrite1h: 200_000,
    cacheRead: 10_000,
    batchDiscountPercent: 50,
    longPrompt: {
      thresholdTokens: 100_000,
      input: 500_000,
      output: 2_500_000,
      cacheWrite5m: 625_000,
      cacheWrite1h: 1_000_000,
      cacheRead: 50_000,
    },
  },
  {
    model: 'claude-opus-5-5',
    effectiveFrom: '2026-09-01',
    source: PRICING,
    checkedOn: CHECKED_ON,
    input: 4_000_000,
    output: 20_000_000,
    cacheWrite5m: 5_000_000,
    cacheWrite1h: 8_000_000,
    cacheRead: 200_000,
    batchDiscountPercent: 50,
  },
  {
    model: 'claude-sonnet-5',
    effectiveFrom: LONG_AGO,
    source: PRICING,
    checkedOn: CHECKED_ON,
    input: 2_000_000,
    output: 10_000_000,
    cacheWrite5m: 2_500_000,
    cacheWrite1h: 4_000_000,
    cacheRead: 200_000,
    batchDiscountPercent: 50,
  },
  {
    model: 'claude-opus-5',
    effectiveFrom: LONG_AGO,
    source: PRICING,
    checkedOn: CHECKED_ON,
    input: 5_000_000,
    output: 25_000_000,
    cacheWrite5m: 6_250_000,
    cacheWrite1h: 10_000_000,
    cacheRead: 500_000,
    batchDiscountPercent: 50,
  },
  {
    model: 'claude-sonnet-4-5',
    effectiveFrom: LONG_AGO,
    source: PRICING,
    checkedOn: CHECKED_ON,
    input: 3_000_000,
    output: 15_000_000,
    cacheWrite5m: 3_750_000,
    cacheWrite1h: 6_000_000,
    cacheRead: 300_000,
    batchDiscountPercent: 50,
    longPrompt: {
      thresholdTokens: 200_000,
      input: 6_000_000,
      output: 22_500_000,
      cacheWrite5m: 7_500_000,
      cacheWrite1h: 12_000_000,
      cacheRead: 600_000,
    },
    deprecated: { retiresOn: '2026-11-30', source: DEPRECATIONS },
  },
  {
    model: 'claude-haiku-4-5',
    effectiveFrom: LONG_AGO,
    source: PRICING,
    checkedOn: CHECKED_ON,
    input: 1_000_000,
    output: 5_000_000,
    cacheWrite5m: 1_250_000,
    cacheWrite1h: 2_000_000,
    cacheRead: 100_000,
    batchDiscountPercent: 50,
  },
  {
    model: 'claude-opus-4-5',
    effectiveFrom: LONG_AGO,
    source: PRICING,
    checkedOn: CHECKED_ON,
    input: 5_000_000,
    output: 25_000_000,
    cacheWrite5m: 6_250_000,
    cacheWrite1h: 10_000_000,
    cacheRead: 500_000,
    batchDiscountPercent: 50,
  },
  {
    model: 'claude-sonnet-4-6',
    effectiveFrom: LONG_AGO,
    source: PRICING,
    checkedOn: CHECKED_ON,
    input: 3_000_000,
    output: 15_000_000,
    cacheWrite5m: 3_750_000,
    cacheWrite1h: 6_000_000,
    cacheRead: 300_000,
    batchDiscountPercent: 50,
  },
  ...['claude-opus-4-6', 'claude-opus-4-7', 'claude-opus-4-8'].map(
    (model): PriceEntry => ({
      model,
      effectiveFrom: LONG_AGO,
      source: PRICING,
      checkedOn: CHECKED_ON,
      input: 5_000_000,
      output: 25_000_000,
      cacheWrite5m: 6_250_000,
      cacheWrite1h: 10_000_000,
      cacheRead: 500_000,
      batchDiscountPercent: 50,
    }),
  ),
  ...['claude-fable-5', 'claude-mythos-5'].map(
    (model): PriceEntry => ({
      model,
      effectiveFrom: LONG_AGO,
      source: PRICING,
      checkedOn: CHECKED_ON,
      input: 10_000_000,
      output: 50_000_000,
      cacheWrite5m: 12_500_000,
      cacheWrite1h: 20_000_000,
      cacheRead: 1_000_000,
      batchDiscountPercent: 50,
    }),
  ),
  ...['claude-fable-5-1', 'claude-mythos-5-1'].map(
    (model): PriceEntry => ({
      // Cache reads at 0.025× input, the rest as Fable 5.
      model,
      effectiveFrom: '2026-09-01',
      source: PRICING,
      checkedOn: CHECKED_ON,
      input: 10_000_000,
      output: 50_000_000,
      cacheWrite5m: 12_500_000,
      cacheWrite1h: 20_000_000,
      cacheRead: 250_000,
      batchDiscountPercent: 50,
    }),
  ),
];

/** Dated snapshot id -> the family id whose rows price it. */
export const MODEL_ALIASES: Readonly<Record<string, string>> = {
  'claude-sonnet-4-5-20250929': 'claude-sonnet-4-5',
  'claude-haiku-4-5-20251001': 'claude-haiku-4-5',
  'claude-opus-4-5-20251101': 'claude-opus-4-5',
};

/**
 * For a Claude model missing from the list: each category at the highest rate any listed row (long-
 * prompt bands included) charges, so an unknown model is over- rather than under-counted and never
 * free. No batch discount for the same reason: we cannot know the model has one.
 */
export const FALLBACK_PRICE: ChargeableRates = (() => {
  const bands: Rates[] = PRICE_LIST.flatMap((row) => (row.longPrompt ? [row, row.longPrompt] : [row]));
  const highest = (key: keyof Rates) => Math.max(...bands.map((band) => band[key]));
  return {
    input: highest('input'),
    output: highest('output'),
    cacheWrite5m: highest('cacheWrite5m'),
    cacheWrite1h: highest('cacheWrite1h'),
    cacheRead: highest('cacheRead'),
    batchDiscountPercent: 0,
  };
})();

/**
 * Multipliers that the API's usage object reports per request, as percent of the listed rates.
 * Data residency: inference pinned to the US ("inference_geo": "us") bills every token category at
 * 1.1×. Fast mode ("speed": "fast") bills at 6× (the published fast-mode premium; it is only
 * offered on a few models). Any value not listed here is priced at the highest multiplier of its
 * kind and warned about.
 */
export const INFERENCE_GEO_PERCENT: Readonly<Record<string, number>> = { global: 100, us: 110 };
export const SPEED_PERCENT: Readonly<Record<string, number>> = { standard: 100, fast: 600 };
/** Server tools billed per use on top of tokens, in micro-dollars per request. Web fetch costs only its tokens. */
export const SERVER_TOOL_MICRO_USD = { webSearch: 10_000, webFetch: 0 } as const;
export const FEATURE_PRICING_SOURCES = [
  'https://platform.claude.com/docs/en/about-claude/pricing',
  'https://platform.claude.com/docs/en/build-with-claude/data-residency',
  'https://platform.claude.com/docs/en/build-with-claude/fast-mode',
];
