import {
  computeCost,
  priceFor,
  unknownUsageFields,
  usageFromAnthropic,
  type TokenUsage,
} from './cost-calculator.js';
import { FALLBACK_PRICE, MODEL_ALIASES, PRICE_LIST } from './price-list.js';

// Rates below are µ$ per token (= $ per MTok): e.g. Sonnet 5.5 input $2/MTok = 2 µ$/token.
const usage = (u: Partial<TokenUsage>): TokenUsage => ({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWrite5mTokens: 0,
  cacheWrite1hTokens: 0,
  ...u,
});
const utc = (iso: string) => new Date(iso);

const BEFORE_CUT = utc('2026-09-15T12:00:00Z'); // Sonnet 5.5 cache read $0.20
const AFTER_CUT = utc('2026-11-01T12:00:00Z'); // Sonnet 5.5 cache read $0.10; Haiku 5.5 listed
const cost = (model: string, u: Partial<TokenUsage>, at = AFTER_CUT, batch = false) =>
  computeCost(model, usage(u), { at, batch }).microUsd;

describe('price list data', () => {
  it('holds only whole, non-negative micro-dollar rates and ISO dates', () => {
    for (const entry of [...PRICE_LIST, FALLBACK_PRICE]) {
      const rates = [entry.input, entry.output, entry.cacheWrite5m, entry.cacheWrite1h, entry.cacheRead];
      if (entry.longPrompt) {
        const lp = entry.longPrompt;
        rates.push(lp.thresholdTokens, lp.input, lp.output, lp.cacheWrite5m, lp.cacheWrite1h, lp.cacheRead);
      }
      for (const rate of rates) expect(Number.isSafeInteger(rate) && rate >= 0).toBe(true);
      expect(Number.isInteger(entry.batchDiscountPercent)).toBe(true);
    }
    for (const entry of PRICE_LIST) {
      expect(entry.effectiveFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(entry.checkedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(entry.source).toMatch(/^https:\/\//);
      expect(entry.batchDiscountPercent).toBe(50);
    }
  });

  it('has one row per model and start date, and aliases only to listed models', () => {
    const keys = PRICE_LIST.map((e) => `${e.model}@${e.effectiveFrom}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const family of Object.values(MODEL_ALIASES)) {
      expect(PRICE_LIST.some((e) => e.model === family)).toBe(true);
    }
  });

  it('prices the fallback at the highest listed rate of each category (Fable 5: $10 / $50 / $12.50 / $20 / $1 per MTok)', () => {
    expect(FALLBACK_PRICE).toEqual({
      input: 10_000_000,
      output: 50_000_000,
      cacheWrite5m: 12_500_000,
      cacheWrite1h: 20_000_000,
      cacheRead: 1_000_000,
      batchDiscountPercent: 0,
    });
  });

  it('lists every model the SDK types name that has a published price', () => {
    for (const model of ['claude-opus-4-6', 'claude-opus-4-7', 'claude-opus-4-8', 'claude-sonnet-4-6', 'claude-fable-5', 'claude-fable-5-1', 'claude-mythos-5', 'claude-mythos-5-1']) {
      expect(priceFor(model, AFTER_CUT)).toBeDefined();
    }
  });
});

describe('priceFor', () => {
  it('picks the latest row in force, switching at midnight UTC', () => {
    expect(priceFor('claude-sonnet-5-5', BEFORE_CUT)?.cacheRead).toBe(200_000);
    expect(priceFor('claude-sonnet-5-5', utc('2026-10-06T23:59:59.999Z'))?.cacheRead).toBe(200_000);
    expect(priceFor('claude-sonnet-5-5', utc('2026-10-07T00:00:00Z'))?.cacheRead).toBe(100_000);
    expect(priceFor('claude-sonnet-5-5', AFTER_CUT)?.effectiveFrom).toBe('2026-10-07');
  });

  it('is undefined for an unknown model or a date before the first row', () => {
    expect(priceFor('claude-mystery-9', AFTER_CUT)).toBeUndefined();
    expect(priceFor('claude-haiku-5-5', utc('2026-10-06T12:00:00Z'))).toBeUndefined();
    // Prototype keys must not resolve as aliases.
    expect(priceFor('constructor', AFTER_CUT)).toBeUndefined();
    expect(priceFor('__proto__', AFTER_CUT)).toBeUndefined();
  });

  it('resolves dated ids to their family', () => {
    expect(priceFor('claude-haiku-4-5-20251001', AFTER_CUT)).toBe(priceFor('claude-haiku-4-5', AFTER_CUT));
    expect(priceFor('claude-sonnet-4-5-20250929', AFTER_CUT)?.model).toBe('claude-sonnet-4-5');
    expect(priceFor('claude-opus-4-5-20251101', AFTER_CUT)?.model).toBe('claude-opus-4-5');
  });

  it('flags the deprecated model with its retirement date', () => {
    expect(priceFor('claude-sonnet-4-5', AFTER_CUT)?.deprecated?.retiresOn).toBe('2026-11-30');
    expect(priceFor('claude-sonnet-4-5-20250929', AFTER_CUT)?.deprecated?.retiresOn).toBe('2026-11-30');
    expect(priceFor('claude-sonnet-5-5', AFTER_CUT)?.deprecated).toBeUndefined();
  });

  it('rejects an invalid date', () => {
    expect(() => priceFor('claude-sonnet-5-5', new Date('nope'))).toThrow(RangeError);
  });
});

describe('computeCost: Sonnet 5.5, each category', () => {
  it('input: 1,000,000 × 2 = 2,000,000 µ$', () => {
    expect(cost('claude-sonnet-5-5', { inputTokens: 1_000_000 })).toBe(2_000_000);
  });

  it('input + output: 1,234 × 2 + 567 × 10 = 2,468 + 5,670 = 8,138 µ$', () => {
    expect(cost('claude-sonnet-5-5', { inputTokens: 1_234, outputTokens: 567 })).toBe(8_138);
  });

  it('output: 1,000 × 10 = 10,000 µ$', () => {
    expect(cost('claude-sonnet-5-5', { outputTokens: 1_000 })).toBe(10_000);
  });

  it('5-minute cache write: 1,000 × 2.5 = 2,500 µ$', () => {
    expect(cost('claude-sonnet-5-5', { cacheWrite5mTokens: 1_000 })).toBe(2_500);
  });

  it('1-hour cache write: 1,000 × 4 = 4,000 µ$', () => {
    expect(cost('claude-sonnet-5-5', { cacheWrite1hTokens: 1_000 })).toBe(4_000);
  });

  it('cache read: 1,000 × 0.20 = 200 µ$ before 2026-10-07, 1,000 × 0.10 = 100 µ$ from it', () => {
    expect(cost('claude-sonnet-5-5', { cacheReadTokens: 1_000 }, BEFORE_CUT)).toBe(200);
    expect(cost('claude-sonnet-5-5', { cacheReadTokens: 1_000 }, utc('2026-10-07T00:00:00Z'))).toBe(100);
  });

  it('all together: 2,000 + 10,000 + 2,500 + 4,000 + 100 = 18,600 µ$', () => {
    const all = { inputTokens: 1_000, outputTokens: 1_000, cacheWrite5mTokens: 1_000, cacheWrite1hTokens: 1_000, cacheReadTokens: 1_000 };
    expect(computeCost('claude-sonnet-5-5', usage(all), { at: AFTER_CUT })).toEqual({
      microUsd: 18_600,
      priced: 'listed',
      model: 'claude-sonnet-5-5',
      pricedAs: 'claude-sonnet-5-5',
      effectiveFrom: '2026-10-07',
      band: 'standard',
      batch: false,
      warnings: [],
    });
  });

  it('zero tokens cost nothing', () => {
    expect(cost('claude-sonnet-5-5', {})).toBe(0);
  });
});

describe('computeCost: rounding once, half-up (Haiku 5.5)', () => {
  it.each([
    ['3 input × 0.1 = 0.3 -> 0', { inputTokens: 3 }, 0],
    ['5 input × 0.1 = 0.5 -> 1 (half-up)', { inputTokens: 5 }, 1],
    ['15 input × 0.1 = 1.5 -> 2', { inputTokens: 15 }, 2],
    ['7 cache reads × 0.01 = 0.07 -> 0', { cacheReadTokens: 7 }, 0],
    ['49 cache reads × 0.01 = 0.49 -> 0', { cacheReadTokens: 49 }, 0],
    ['50 cache reads × 0.01 = 0.5 -> 1', { cacheReadTokens: 50 }, 1],
    ['70 cache reads × 0.01 = 0.7 -> 1', { cacheReadTokens: 70 }, 1],
    ['1 output × 0.5 = 0.5 -> 1', { outputTokens: 1 }, 1],
    ['4 5m writes × 0.125 = 0.5 -> 1', { cacheWrite5mTokens: 4 }, 1],
    ['2 1h writes × 0.2 = 0.4 -> 0', { cacheWrite1hTokens: 2 }, 0],
  ])('%s', (_label, u: Partial<TokenUsage>, expected) => {
    expect(cost('claude-haiku-5-5', u)).toBe(expected);
  });

  it('rounds the sum, not each category: 3 input (0.3) + 20 reads (0.2) = 0.5 -> 1', () => {
    // Rounding each category first would give 0 + 0 = 0.
    expect(cost('claude-haiku-5-5', { inputTokens: 3, cacheReadTokens: 20 })).toBe(1);
  });
});

describe('computeCost: long-prompt band (Haiku 5.5, over 100,000 prompt tokens)', () => {
  it('a prompt of exactly 100,000 is standard: 100,000 × 0.1 + 1,000 × 0.5 = 10,500 µ$', () => {
    const result = computeCost('claude-haiku-5-5', usage({ inputTokens: 100_000, outputTokens: 1_000 }), { at: AFTER_CUT });
    expect(result).toMatchObject({ microUsd: 10_500, band: 'standard' });
  });

  it('100,001 bills every token, output included, at 5×: 100,001 × 0.5 + 1,000 × 2.5 = 52,500.5 -> 52,501', () => {
    const result = computeCost('claude-haiku-5-5', usage({ inputTokens: 100_001, outputTokens: 1_000 }), { at: AFTER_CUT });
    expect(result).toMatchObject({ microUsd: 52_501, band: 'long_prompt' });
  });

  it('counts cache reads and writes toward the threshold and bills them at long rates', () => {
    // prompt = 1 + 60,000 + 30,000 + 10,000 = 100,001 > 100,000
    // 1 × 0.5 + 60,000 × 0.05 + 30,000 × 0.625 + 10,000 × 1.00 + 100 × 2.5
    // = 0.5 + 3,000 + 18,750 + 10,000 + 250 = 32,000.5 -> 32,001
    const u = usage({ inputTokens: 1, cacheReadTokens: 60_000, cacheWrite5mTokens: 30_000, cacheWrite1hTokens: 10_000, outputTokens: 100 });
    expect(computeCost('claude-haiku-5-5', u, { at: AFTER_CUT })).toMatchObject({ microUsd: 32_001, band: 'long_prompt' });
    // One cache read fewer: prompt 100,000, standard.
    // 0.1 + 59,999 × 0.01 + 30,000 × 0.125 + 10,000 × 0.2 + 100 × 0.5 = 0.1 + 599.99 + 3,750 + 2,000 + 50 = 6,400.09 -> 6,400
    const under = { ...u, cacheReadTokens: 59_999 };
    expect(computeCost('claude-haiku-5-5', under, { at: AFTER_CUT })).toMatchObject({ microUsd: 6_400, band: 'standard' });
  });

  it('does not count output toward the threshold', () => {
    // 100,000 × 0.1 + 500,000 × 0.5 = 10,000 + 250,000 = 260,000
    const result = computeCost('claude-haiku-5-5', usage({ inputTokens: 100_000, outputTokens: 500_000 }), { at: AFTER_CUT });
    expect(result).toMatchObject({ microUsd: 260_000, band: 'standard' });
  });

  it('applies to Sonnet 4.5 over 200,000: 200,001 × 6 = 1,200,006 µ$ (200,000 × 3 = 600,000 at the line)', () => {
    expect(computeCost('claude-sonnet-4-5', usage({ inputTokens: 200_001 }), { at: AFTER_CUT })).toMatchObject({
      microUsd: 1_200_006,
      band: 'long_prompt',
    });
    expect(cost('claude-sonnet-4-5', { inputTokens: 200_000 })).toBe(600_000);
    // Long output rate: 200,001 × 6 + 1,000 × 22.5 = 1,200,006 + 22,500 = 1,222,506
    expect(cost('claude-sonnet-4-5', { inputTokens: 200_001, outputTokens: 1_000 })).toBe(1_222_506);
  });
});

describe('computeCost: batch discount (50%)', () => {
  it('halves every category: (1,234 × 2 + 567 × 10) / 2 = 8,138 / 2 = 4,069 µ$', () => {
    const result = computeCost('claude-sonnet-5-5', usage({ inputTokens: 1_234, outputTokens: 567 }), { at: AFTER_CUT, batch: true });
    expect(result).toMatchObject({ microUsd: 4_069, batch: true });
  });

  it('halves caches too: 18,600 / 2 = 9,300 µ$', () => {
    const all = { inputTokens: 1_000, outputTokens: 1_000, cacheWrite5mTokens: 1_000, cacheWrite1hTokens: 1_000, cacheReadTokens: 1_000 };
    expect(cost('claude-sonnet-5-5', all, AFTER_CUT, true)).toBe(9_300);
  });

  it('rounds after the discount: Haiku 4.5, 1 input × 1 × 0.5 = 0.5 -> 1; Haiku 5.5, 5 input × 0.1 × 0.5 = 0.25 -> 0', () => {
    expect(cost('claude-haiku-4-5', { inputTokens: 1 }, AFTER_CUT, true)).toBe(1);
    expect(cost('claude-haiku-5-5', { inputTokens: 5 }, AFTER_CUT, true)).toBe(0);
  });

  it('stacks with the long-prompt band: 52,500.5 / 2 = 26,250.25 -> 26,250', () => {
    const result = computeCost('claude-haiku-5-5', usage({ inputTokens: 100_001, outputTokens: 1_000 }), { at: AFTER_CUT, batch: true });
    expect(result).toMatchObject({ microUsd: 26_250, band: 'long_prompt', batch: true });
  });
});

describe('computeCost: aliases, deprecation, unknown models', () => {
  it('prices a dated id like its family: 1M × 1 + 1M × 5 = 6,000,000 µ$', () => {
    const dated = computeCost('claude-haiku-4-5-20251001', usage({ inputTokens: 1_000_000, outputTokens: 1_000_000 }), { at: AFTER_CUT });
    expect(dated).toMatchObject({ microUsd: 6_000_000, priced: 'listed', model: 'claude-haiku-4-5-20251001', pricedAs: 'claude-haiku-4-5' });
    expect(cost('claude-haiku-4-5', { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBe(6_000_000);
    // Opus 4.5: 1M output × 25 = 25,000,000
    expect(cost('claude-opus-4-5-20251101', { outputTokens: 1_000_000 })).toBe(25_000_000);
  });

  it('still prices the deprecated Sonnet 4.5 as listed: 1,000 × 3 + 1,000 × 15 = 18,000 µ$', () => {
    expect(computeCost('claude-sonnet-4-5-20250929', usage({ inputTokens: 1_000, outputTokens: 1_000 }), { at: AFTER_CUT })).toMatchObject({
      microUsd: 18_000,
      priced: 'listed',
    });
  });

  it('prices the other listed models', () => {
    // Opus 5.5: 1,000 × 4 + 1,000 × 20 + 1,000 × 0.2 = 24,200
    expect(cost('claude-opus-5-5', { inputTokens: 1_000, outputTokens: 1_000, cacheReadTokens: 1_000 })).toBe(24_200);
    // Sonnet 5: 1,000 × 2 + 1,000 × 10 + 1,000 × 2.5 + 1,000 × 4 + 1,000 × 0.2 = 18,700
    const all = { inputTokens: 1_000, outputTokens: 1_000, cacheWrite5mTokens: 1_000, cacheWrite1hTokens: 1_000, cacheReadTokens: 1_000 };
    expect(cost('claude-sonnet-5', all)).toBe(18_700);
    // Opus 5: 5,000 + 25,000 + 6,250 + 10,000 + 500 = 46,750
    expect(cost('claude-opus-5', all)).toBe(46_750);
  });

  it('prices an unknown model at the highest listed rates, never below: 1,000 × 10 + 1,000 × 50 = 60,000 µ$', () => {
    const result = computeCost('claude-mystery-9', usage({ inputTokens: 1_000, outputTokens: 1_000 }), { at: AFTER_CUT });
    expect(result).toEqual({
      microUsd: 60_000,
      priced: 'fallback',
      model: 'claude-mystery-9',
      pricedAs: null,
      effectiveFrom: null,
      band: 'standard',
      batch: false,
      warnings: [],
    });
    // No batch discount on a guess.
    expect(cost('claude-mystery-9', { inputTokens: 1_000, outputTokens: 1_000 }, AFTER_CUT, true)).toBe(60_000);
    // Never below any listed model's real price for the same usage (Fable 5.1 is the dearest: $10 / $50).
    for (const row of PRICE_LIST) expect(60_000).toBeGreaterThanOrEqual((1_000 * row.input + 1_000 * row.output) / 1_000_000);
  });

  it('uses the fallback for a known model before its first price row', () => {
    // Haiku 5.5 is listed from 2026-10-07; on 2026-10-06: 1,000 × 10 = 10,000
    const result = computeCost('claude-haiku-5-5', usage({ inputTokens: 1_000 }), { at: utc('2026-10-06T12:00:00Z') });
    expect(result).toMatchObject({ microUsd: 10_000, priced: 'fallback' });
  });

  it('prices configured rates (LLM_PRICE_*) and a local model at $0, flagged', () => {
    const configured = { priced: 'configured' as const, rates: { input: 700_000, output: 2_100_000, cacheRead: 70_000, cacheWrite5m: 875_000, cacheWrite1h: 1_400_000, batchDiscountPercent: 0 } };
    // 1,000 × 0.70 + 2,000 × 2.10 + 3,000 × 0.07 = 700 + 4,200 + 210 = 5,110 µ$
    expect(computeCost('my-model', usage({ inputTokens: 1_000, outputTokens: 2_000, cacheReadTokens: 3_000 }), { at: AFTER_CUT, override: configured }))
      .toMatchObject({ microUsd: 5_110, priced: 'configured' });
    // A listed model keeps its listed price unless the override is preferred (OpenAI-compatible servers).
    expect(computeCost('claude-sonnet-5-5', usage({ inputTokens: 1_000 }), { at: AFTER_CUT, override: configured }).priced).toBe('listed');
    const local = { priced: 'local' as const, rates: { input: 0, output: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, batchDiscountPercent: 0 } };
    expect(computeCost('claude-sonnet-5-5', usage({ inputTokens: 1_000, webSearchRequests: 2 }), { at: AFTER_CUT, override: local, preferOverride: true }))
      .toMatchObject({ microUsd: 0, priced: 'local' });
  });
});

describe('computeCost: every usage field that changes the bill (hand-computed from the published prices)', () => {
  // Sonnet 5.5 from 2026-10-07: $2 input, $10 output, $2.50 / $4 cache writes, $0.10 cache read per MTok.
  const all = { inputTokens: 1_000, outputTokens: 1_000, cacheWrite5mTokens: 1_000, cacheWrite1hTokens: 1_000, cacheReadTokens: 1_000 };

  it('inference_geo "us": every token category at 1.1×: 18,600 × 1.1 = 20,460 µ$', () => {
    expect(cost('claude-sonnet-5-5', { ...all, inferenceGeo: 'us' })).toBe(20_460);
    expect(cost('claude-sonnet-5-5', { ...all, inferenceGeo: 'global' })).toBe(18_600);
  });

  it('an inference_geo the list does not know is priced at the highest multiplier and warned about', () => {
    const result = computeCost('claude-sonnet-5-5', usage({ ...all, inferenceGeo: 'eu' }), { at: AFTER_CUT });
    expect(result.microUsd).toBe(20_460);
    expect(result.warnings).toEqual(['inference_geo "eu" is not in the price list; priced at the highest inference_geo multiplier']);
  });

  it('web search at $10 per 1,000 requests on top of tokens; web fetch costs only its tokens', () => {
    // 3 searches × 10,000 µ$ + 1,000 input × 2 = 32,000 µ$
    expect(cost('claude-sonnet-5-5', { inputTokens: 1_000, webSearchRequests: 3, webFetchRequests: 5 })).toBe(32_000);
  });

  it('speed "fast" at 6×: Opus 5.5 1,000 input × 4 × 6 + 1,000 output × 20 × 6 = 144,000 µ$', () => {
    expect(cost('claude-opus-5-5', { inputTokens: 1_000, outputTokens: 1_000, speed: 'fast' })).toBe(144_000);
    expect(cost('claude-opus-5-5', { inputTokens: 1_000, outputTokens: 1_000, speed: 'standard' })).toBe(24_000);
  });

  it('service_tier "batch" at the 50 % batch price, also when the caller did not say batch: 18,600 / 2 = 9,300 µ$', () => {
    expect(cost('claude-sonnet-5-5', { ...all, serviceTier: 'batch' })).toBe(9_300);
    expect(cost('claude-sonnet-5-5', { ...all, serviceTier: 'priority' })).toBe(18_600);
  });

  it('multipliers combine exactly, rounded once: batch + US + fast on 1 Haiku 5.5 output token = 0.5 × 0.5 × 1.1 × 6 = 1.65 → 2 µ$', () => {
    expect(cost('claude-haiku-5-5', { outputTokens: 1, serviceTier: 'batch', inferenceGeo: 'us', speed: 'fast' })).toBe(2);
  });

  it('reads every field of the SDK Usage type and names the ones the price list does not know', () => {
    const u = {
      input_tokens: 10,
      output_tokens: 20,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_creation: null,
      server_tool_use: { web_search_requests: 2, web_fetch_requests: 1 },
      inference_geo: 'us',
      service_tier: 'standard',
      speed: 'fast',
      output_tokens_details: { thinking_tokens: 5 },
    };
    expect(usageFromAnthropic(u)).toEqual({
      inputTokens: 10,
      outputTokens: 20,
      cacheReadTokens: 0,
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 0,
      webSearchRequests: 2,
      webFetchRequests: 1,
      inferenceGeo: 'us',
      serviceTier: 'standard',
      speed: 'fast',
    });
    expect(unknownUsageFields(u)).toEqual([]);
    expect(unknownUsageFields({ ...u, code_execution_seconds: 12 })).toEqual(['code_execution_seconds']);
  });
});

describe('computeCost: input validation', () => {
  it.each([
    ['negative', { inputTokens: -1 }],
    ['fractional', { outputTokens: 1.5 }],
    ['NaN', { cacheReadTokens: Number.NaN }],
    ['infinite', { cacheWrite5mTokens: Number.POSITIVE_INFINITY }],
    ['beyond safe integers', { cacheWrite1hTokens: 2 ** 53 }],
  ])('throws a RangeError on a %s token count', (_label, u: Partial<TokenUsage>) => {
    expect(() => computeCost('claude-sonnet-5-5', usage(u), { at: AFTER_CUT })).toThrow(RangeError);
  });

  it('throws a RangeError on an invalid date', () => {
    expect(() => computeCost('claude-sonnet-5-5', usage({}), { at: new Date(Number.NaN) })).toThrow(RangeError);
  });

  it('stays exact on huge counts where floats would not', () => {
    // Sonnet 5.5 (no long band): (2^53 - 1) × 0.10 = 900,719,925,474,099.1 -> 900,719,925,474,099
    expect(cost('claude-sonnet-5-5', { cacheReadTokens: Number.MAX_SAFE_INTEGER })).toBe(900_719_925_474_099);
    // Haiku 5.5 goes long: (2^53 - 1) × 0.05 = 450,359,962,737,049.55 -> 450,359,962,737,050
    expect(cost('claude-haiku-5-5', { cacheReadTokens: Number.MAX_SAFE_INTEGER })).toBe(450_359_962_737_050);
  });
});

describe('usageFromAnthropic', () => {
  it('splits cache writes by TTL when cache_creation is reported', () => {
    expect(
      usageFromAnthropic({
        input_tokens: 10,
        output_tokens: 20,
        cache_read_input_tokens: 30,
        cache_creation_input_tokens: 100,
        cache_creation: { ephemeral_5m_input_tokens: 40, ephemeral_1h_input_tokens: 60 },
      }),
    ).toEqual({ inputTokens: 10, outputTokens: 20, cacheReadTokens: 30, cacheWrite5mTokens: 40, cacheWrite1hTokens: 60 });
  });

  it('counts all cache writes as 5-minute ones without the split', () => {
    const base = { input_tokens: 10, output_tokens: 20, cache_read_input_tokens: 30, cache_creation_input_tokens: 100 };
    const expected = { inputTokens: 10, outputTokens: 20, cacheReadTokens: 30, cacheWrite5mTokens: 100, cacheWrite1hTokens: 0 };
    expect(usageFromAnthropic(base)).toEqual(expected);
    expect(usageFromAnthropic({ ...base, cache_creation: null })).toEqual(expected);
  });

  it('reads missing or null cache fields as 0', () => {
    expect(usageFromAnthropic({ input_tokens: 5, output_tokens: 7, cache_read_input_tokens: null, cache_creation_input_tokens: null })).toEqual(
      usage({ inputTokens: 5, outputTokens: 7 }),
    );
  });

  it('bills any unsplit remainder as 5-minute writes rather than dropping it', () => {
    const u = usageFromAnthropic({
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 100,
      cache_creation: { ephemeral_1h_input_tokens: 60 },
    });
    expect(u).toMatchObject({ cacheWrite5mTokens: 40, cacheWrite1hTokens: 60 });
  });

  it('feeds computeCost: 10 × 2 + 20 × 10 + 30 × 0.1 + 40 × 2.5 + 60 × 4 = 20 + 200 + 3 + 100 + 240 = 563 µ$', () => {
    const u = usageFromAnthropic({
      input_tokens: 10,
      output_tokens: 20,
      cache_read_input_tokens: 30,
      cache_creation_input_tokens: 100,
      cache_creation: { ephemeral_5m_input_tokens: 40, ephemeral_1h_input_tokens: 60 },
    });
    expect(computeCost('claude-sonnet-5-5', u, { at: AFTER_CUT }).microUsd).toBe(563);
  });
});
