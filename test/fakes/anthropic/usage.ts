import { createHash } from 'node:crypto';
import { asObject, type JsonObject } from './json.js';
import { FAKE_MODELS } from './models.js';
import type { FakeAnthropicOptions } from './options.js';
import { requestedSchema } from './rules.js';

/** What every model counts: a character-based estimate, so tests can compute expected usage by hand. */
export const countTokens = (text: string): number => Math.ceil(text.length / 4);

type Ttl = '5m' | '1h';
const TTL_MS: Record<Ttl, number> = { '5m': 5 * 60_000, '1h': 60 * 60_000 };

/** One block of the prompt in order (system, then each message's content); `ttl` marks a cache breakpoint. */
export type Segment = { role: string; text: string; ttl?: Ttl };

export type InputUsage = { uncached: number; read: number; creation5m: number; creation1h: number };

export function promptSegments(body: JsonObject, withOutputFormat = false): Segment[] {
  const segments: Segment[] = [];
  // The schema is compiled into the request ahead of the system prompt: part of every cached prefix.
  const schema = withOutputFormat ? requestedSchema(body) : undefined;
  if (schema) segments.push({ role: 'output_format', text: JSON.stringify(schema) });
  const add = (role: string, content: unknown) => {
    if (typeof content === 'string') {
      segments.push({ role, text: content });
      return;
    }
    if (!Array.isArray(content)) return;
    for (const item of content) {
      const block = asObject(item);
      const { cache_control, ...rest } = block;
      const text = block.type === 'text' && typeof block.text === 'string' ? block.text : JSON.stringify(rest);
      const ttl = ttlOf(cache_control);
      segments.push(ttl ? { role, text, ttl } : { role, text });
    }
  };
  add('system', body.system);
  for (const message of body.messages as unknown[]) add(String(asObject(message).role), asObject(message).content);
  // A top-level cache_control caches the whole prompt (automatic caching).
  const automatic = ttlOf(body.cache_control);
  const last = segments.at(-1);
  if (automatic && last && !last.ttl) last.ttl = automatic;
  return segments;
}

function ttlOf(cacheControl: unknown): Ttl | undefined {
  const control = asObject(cacheControl);
  if (control.type !== 'ephemeral') return undefined;
  return control.ttl === '1h' ? '1h' : '5m';
}

/** Cached prompt prefixes by hash, per model like the real cache, with their time to live. */
export class PromptCache {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly options: Pick<FakeAnthropicOptions, 'countTokens' | 'now' | 'minCacheableTokens'> = {}) {}

  clear(): void {
    this.expiries.clear();
  }

  /** Tokens through each segment: on cumulative characters by default, else the sum of each segment's count. */
  private cumulativeTokens(segments: Segment[]): number[] {
    const count = this.options.countTokens;
    const out: number[] = [];
    let total = 0;
    for (const segment of segments) {
      total += count ? count(segment.text) : segment.text.length;
      out.push(total);
    }
    return count ? out : out.map((chars) => Math.ceil(chars / 4));
  }

  totalTokens(segments: Segment[]): number {
    return this.cumulativeTokens(segments).at(-1) ?? 0;
  }

  /**
   * The longest cached prefix ending at a breakpoint is read; the prompt up to each later
   * breakpoint is written (billed by that breakpoint's ttl); the rest is plain input.
   */
  inputUsage(model: string, segments: Segment[]): InputUsage {
    // Counted on cumulative totals, so the parts add up to exactly the whole prompt's count.
    const cumulative = this.cumulativeTokens(segments);
    const tokensThrough = (index: number): number => (index < 0 ? 0 : (cumulative[index] ?? 0));
    // A marked prefix shorter than the model's minimum is not cached at all (no error, as the API does).
    const minimum = this.options.minCacheableTokens?.(model) ?? FAKE_MODELS[model]?.minCacheableTokens ?? Infinity;
    const breakpoints = segments.flatMap(({ ttl }, index) =>
      ttl && tokensThrough(index) >= minimum ? [{ index, ttl, key: prefixKey(model, segments, index) }] : [],
    );

    const now = this.options.now?.() ?? Date.now();
    let readEnd = -1;
    for (const point of breakpoints) if ((this.expiries.get(point.key) ?? 0) > now) readEnd = point.index;

    const usage: InputUsage = { uncached: 0, read: tokensThrough(readEnd), creation5m: 0, creation1h: 0 };
    let written = readEnd;
    for (const point of breakpoints) {
      // Stores new prefixes and refreshes the lifetime of hit ones, as the real cache does.
      this.expiries.set(point.key, Math.max(this.expiries.get(point.key) ?? 0, now + TTL_MS[point.ttl]));
      if (point.index <= readEnd) continue;
      const tokens = tokensThrough(point.index) - tokensThrough(written);
      if (point.ttl === '1h') usage.creation1h += tokens;
      else usage.creation5m += tokens;
      written = point.index;
    }
    usage.uncached = tokensThrough(segments.length - 1) - usage.read - usage.creation5m - usage.creation1h;
    return usage;
  }
}

function prefixKey(model: string, segments: Segment[], end: number): string {
  const prefix = segments.slice(0, end + 1).map((s) => [s.role, s.text]);
  return createHash('sha256').update(JSON.stringify([model, prefix])).digest('hex');
}

/** The longest start of `text` that counts at most `tokens`. */
export function cutToTokens(text: string, tokens: number, count: (text: string) => number): string {
  if (tokens <= 0) return '';
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (count(text.slice(0, mid)) <= tokens) low = mid;
    else high = mid - 1;
  }
  return text.slice(0, low);
}

/** A message's `usage` object as the API reports it: input split by the cache, output, tier and the extra fields. */
export function messageUsage(
  input: InputUsage,
  outputTokens: number,
  tier: 'standard' | 'batch',
  body: JsonObject,
  extra: Record<string, unknown>,
): JsonObject {
  const rules = FAKE_MODELS[String(body.model)];
  return {
    input_tokens: input.uncached,
    cache_creation_input_tokens: input.creation5m + input.creation1h,
    cache_read_input_tokens: input.read,
    cache_creation: { ephemeral_5m_input_tokens: input.creation5m, ephemeral_1h_input_tokens: input.creation1h },
    output_tokens: outputTokens,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: tier,
    // Reported by the models that take inference_geo; older ones say nothing.
    inference_geo: rules?.inferenceGeo ? (typeof body.inference_geo === 'string' ? body.inference_geo : 'global') : null,
    speed: typeof body.speed === 'string' ? body.speed : 'standard',
    ...extra,
  };
}
