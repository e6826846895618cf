/** Seeded randomness for the cost simulation: the same seed gives the same month, call for call. */
import { createHash } from 'node:crypto';
import { mulberry32 } from '../../src/common/random/mulberry32.js';

export type Rng = () => number;

/** An independent stream named by its parts: the same parts, the same numbers, whatever ran before. */
export function rngFor(...parts: (string | number)[]): Rng {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest();
  return mulberry32(digest.readUInt32LE(0));
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[Math.floor(rng() * items.length)]!;
}

/** A whole number from lo to hi, both included. */
export function between(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + rng() * (hi - lo);
}

/** Standard normal (Box-Muller). */
export function normal(rng: Rng): number {
  const u = Math.max(rng(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

export function logNormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(rng));
}

export function weighted<T>(rng: Rng, entries: readonly (readonly [T, number])[]): T {
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  let point = rng() * total;
  for (const [value, w] of entries) {
    if (point < w) return value;
    point -= w;
  }
  return entries.at(-1)![0];
}

export function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export function binomial(rng: Rng, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (rng() < p) k++;
  return k;
}
