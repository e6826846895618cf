/**
 * Money in code is integer micro-dollars (1 USD = 1,000,000). This is the one place that turns
 * it into anything else, and every function is pure and exact: no float is summed or rounded here
 * except the final micro ÷ 10^6 that a JSON number needs (at most six decimals, so it is exact
 * to the micro-dollar when printed).
 *
 *  - parse:   `parseUsd("1.5")`        -> 1_500_000   (text a person or PostgreSQL wrote)
 *  - convert: `microToUsd(1_500_000)`  -> 1.5         (a JSON number of dollars)
 *  - format:  `formatUsd(1_500_000)`   -> "1.500000"  (exact text for numeric SQL and CSV)
 *             `trimDecimal("1.500000", 2)` -> "1.50"  (shorter text for people)
 *  - divide:  `divideMicro(10, 4)`     -> 3           (a share, half-up to a whole micro-dollar)
 *  - SQL:     `sqlSumMicroUsd('cost_usd')` sums a numeric dollar column as bigint micro-dollars
 */

export const MICRO_PER_USD = 1_000_000;
const MICRO = 1_000_000n;

/** "1.5" -> 1500000, "-0.25" -> -250000. Rejects anything it cannot hold exactly (RangeError). */
export function parseUsd(text: string): number {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new RangeError(`Not a decimal dollar amount: ${JSON.stringify(text)}`);
  const [, sign = '', whole = '0', fraction = ''] = m;
  if (fraction.length > 6) throw new RangeError(`More than 6 decimals cannot be held in micro-dollars: ${JSON.stringify(text)}`);
  const abs = BigInt(whole) * MICRO + BigInt(fraction.padEnd(6, '0'));
  if (abs > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`Dollar amount exceeds the safe integer range of micro-dollars: ${text}`);
  // `|| 0`: "-0.000000" must not become -0.
  return (sign === '-' ? -Number(abs) : Number(abs)) || 0;
}

/** Micro-dollars as a JSON number of dollars: 1234567 -> 1.234567. */
export function microToUsd(micro: number): number {
  assertMicro(micro);
  return micro / MICRO_PER_USD;
}

/** Micro-dollars as exact dollar text with six decimals: 1234567 -> "1.234567", -5 -> "-0.000005". */
export function formatUsd(micro: number): string {
  assertMicro(micro);
  const abs = BigInt(Math.abs(micro));
  return `${micro < 0 ? '-' : ''}${abs / MICRO}.${(abs % MICRO).toString().padStart(6, '0')}`;
}

/**
 * Decimal text with trailing zeros dropped, keeping at least `minDecimals`: ("0.500000", 2) ->
 * "0.50", ("12.500000", 0) -> "12.5". String work, so exact for any numeric PostgreSQL returns.
 */
export function trimDecimal(text: string, minDecimals: number): string {
  const [whole = '0', fraction = ''] = text.split('.');
  let trimmed = fraction.replace(/0+$/, '');
  if (trimmed.length < minDecimals) trimmed = trimmed.padEnd(minDecimals, '0');
  return trimmed ? `${whole}.${trimmed}` : whole;
}

/** micro ÷ n rounded half-up to a whole micro-dollar; 0 when n is 0 (nothing to share). */
export function divideMicro(micro: number, n: number): number {
  assertMicro(micro);
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`A count must be a non-negative integer (got ${n})`);
  if (n === 0) return 0;
  const num = BigInt(micro) * 2n + BigInt(n);
  const den = 2n * BigInt(n);
  // Floor division, also for negative amounts (BigInt division truncates toward zero).
  const q = num / den;
  return Number(num % den !== 0n && num < 0n ? q - 1n : q);
}

/** SQL: the sum of a numeric dollar column as bigint micro-dollars, returned as text (exact in pg). */
export function sqlSumMicroUsd(column: string): string {
  return `(coalesce(sum(${column}), 0) * ${MICRO_PER_USD})::bigint::text`;
}

function assertMicro(micro: number): void {
  if (!Number.isSafeInteger(micro)) throw new RangeError(`Micro-dollars must be a safe integer (got ${micro})`);
}
