import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type CommandOutput = { out: string[]; err: string[]; dir: string };

/**
 * For specs of a CLI's main(): each test gets what it printed to console.log / console.error and a
 * scratch directory, all reset after it. Console is swapped by hand because jest runs here as
 * native ESM, without the `jest` global to spy with.
 */
export function captureCommandOutput(dirPrefix: string): CommandOutput {
  const captured: CommandOutput = { out: [], err: [], dir: '' };
  const { log, error } = console;
  beforeEach(() => {
    captured.out = [];
    captured.err = [];
    console.log = (...args: unknown[]) => void captured.out.push(args.map(String).join(' '));
    console.error = (...args: unknown[]) => void captured.err.push(args.map(String).join(' '));
    captured.dir = mkdtempSync(join(tmpdir(), dirPrefix));
  });
  afterEach(() => {
    console.log = log;
    console.error = error;
    rmSync(captured.dir, { recursive: true, force: true });
  });
  return captured;
}
