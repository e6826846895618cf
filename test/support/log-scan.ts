import { TEST_JWT_SECRET } from './test-secret.js';

/**
 * What must never appear in a log line: password hashes, emails, tokens, the signing secret, the
 * suites' passwords and answer texts, and bound query parameters (which carry all of those).
 */
const forbidden = (): readonly [string, RegExp][] => [
  ['argon2 hash', /\$argon2(?:id|i|d)\$/],
  ['email address', /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/],
  ['JWT', /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}/],
  ['JWT signing secret', new RegExp(TEST_JWT_SECRET)],
  ['test password', /longenough1|password123|premium123|admin123/],
  ['answer text', /RAG is the better choice|Fine-tuning changes the weights/],
  ['bound query parameters', /"parameters"\s*:/],
];

/** Log lines of the test apps started in this test file (see test-app.ts). */
export const capturedLogLines: string[] = [];

/** A pino destination that keeps every line in memory. */
export const logCapture = {
  write(line: string): void {
    capturedLogLines.push(line);
  },
};

/** The forbidden things found in `lines`, with the offending line cut short (empty when clean). */
export function secretsIn(lines: readonly string[]): string[] {
  const found: string[] = [];
  const patterns = forbidden();
  for (const line of lines) {
    for (const [what, pattern] of patterns) {
      if (pattern.test(line)) found.push(`${what}: ${line.slice(0, 600)}`);
    }
  }
  return found;
}

/** The fault and security suites log at debug level and have their logs scanned when a file ends. */
export function scansLogs(testPath: string | undefined): boolean {
  return /[\\/]test[\\/](?:faults|security)[\\/]/.test(testPath ?? '');
}
